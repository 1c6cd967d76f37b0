import PQueue from 'p-queue';
import type { PlannedCheck } from '../plan/model.js';
import { checkCommand } from '../plan/render.js';
import type { HostSession } from '../run/session.js';
import { pingFrom } from './ping.js';

export type Outcome = 'pass' | 'fail' | 'error';

export interface CheckResult {
  check: PlannedCheck;
  /** PASS: as expected; FAIL: the opposite; ERROR: the probe could not run (never counted as a drop). */
  outcome: Outcome;
  reached?: boolean;
  /** The address actually probed. */
  address: string;
  attempts: number;
  durationMs: number;
  /** The probe's own output, or why it could not run. */
  evidence: string;
  /** The command that reproduces this probe by hand on the source host. */
  reproduce: string;
}

export interface CheckOptions {
  /** How long a "must reach" pair may keep trying (ARP, a container still starting). */
  waitMs: number;
  /** Reply timeout of one ping, seconds. */
  pingTimeoutSeconds: number;
  /** How many probes run at once across all hosts. */
  concurrency: number;
  now?: () => number;
}

/**
 * Runs every check at once (bounded by `concurrency`). "Must reach" pairs are retried until they
 * reach or `waitMs` runs out; "must not reach" pairs get exactly one probe, so a slow network can
 * never turn into a false "isolated".
 */
export async function runChecks(
  checks: readonly PlannedCheck[],
  sessions: ReadonlyMap<string, HostSession>,
  options: CheckOptions,
  /** Resolves when the check's containers are up; rejects when making them failed. */
  ready: (check: PlannedCheck) => Promise<void> = async () => {},
): Promise<CheckResult[]> {
  const now = options.now ?? Date.now;
  const queue = new PQueue({ concurrency: options.concurrency });
  return Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      try {
        await ready(check);
      } catch (err) {
        return {
          check,
          outcome: 'error',
          address: check.to.address,
          attempts: 0,
          durationMs: 0,
          evidence: `not probed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
          reproduce: checkCommand(check),
        };
      }
      return queue.add(async (): Promise<CheckResult> => {
        const started = now();
        const session = sessions.get(check.from.host);
        const base = {
          check,
          address: check.to.address,
          attempts: 0,
          reproduce: checkCommand(check),
        };
        if (!session) {
          return {
            ...base,
            outcome: 'error',
            durationMs: 0,
            evidence: `no session to ${check.from.host}`,
          };
        }
        const address = check.to.address || (await resolveAddress(check, sessions));
        if (!address) {
          return {
            ...base,
            outcome: 'error',
            durationMs: now() - started,
            evidence: `could not find the address of ${check.to.label}`,
          };
        }
        const reproduce = checkCommand({ ...check, to: { ...check.to, address } });
        let attempts = 0;
        for (;;) {
          attempts++;
          const r = await pingFrom(
            session.docker,
            check.from.container,
            address,
            options.pingTimeoutSeconds,
          );
          const done =
            r.reached !== false || check.expect === 'no-reach' || now() - started >= options.waitMs;
          if (done) {
            const outcome: Outcome =
              r.reached === undefined
                ? 'error'
                : r.reached === (check.expect === 'reach')
                  ? 'pass'
                  : 'fail';
            return {
              check,
              outcome,
              reached: r.reached,
              address,
              attempts,
              durationMs: now() - started,
              evidence: r.output,
              reproduce,
            };
          }
        }
      });
    }),
  );
}

async function resolveAddress(
  check: PlannedCheck,
  sessions: ReadonlyMap<string, HostSession>,
): Promise<string | undefined> {
  const to = check.to;
  if (to.kind === 'container' && to.host && to.network && to.container) {
    const info = await sessions.get(to.host)?.docker.inspectContainer(to.container);
    return info?.networks[to.network]?.ipv4;
  }
  if (to.kind === 'gateway' && to.network) {
    const info = await sessions.get(check.from.host)?.docker.inspectNetwork(to.network);
    return info?.gateway;
  }
  return undefined;
}
