/** What checking an assertion needs from outside: sessions, a way to make HTTP requests, time. */
import { systemClock, type Clock } from '../common/clock.js';
import { LabError } from '../common/errors.js';
import type { HostSession } from '../host/session.js';
import type {
  AssertionOutcome,
  AssertionResult,
  PlannedAssertion,
} from '../plan/assertion-model.js';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One GET from the machine running lab; rejects when no answer came (refused, timed out). */
export type HttpGet = (url: string, timeoutMs: number) => Promise<HttpAnswer>;

export interface AssertOptions {
  /** How long claims that may need a moment (a server starting, a name spreading) keep trying. */
  waitMs: number;
  /** One command, exec or request. */
  timeoutMs: number;
  httpGet: HttpGet;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The clock is the run's: waits in the checks are tested with a fake one. */
export interface AssertContext extends Clock {
  options: AssertOptions;
  session(host: string): HostSession;
}

export function makeContext(
  sessions: ReadonlyMap<string, HostSession>,
  options: AssertOptions,
): AssertContext {
  return {
    options,
    session(host) {
      const s = sessions.get(host);
      if (!s) throw new LabError('host', `no session to ${host}`, { host });
      return s;
    },
    now: options.now ?? (() => performance.now()),
    sleep: options.sleep ?? systemClock.sleep,
  };
}

/** A result, timed from `started`. */
export function judged(
  ctx: AssertContext,
  assertion: PlannedAssertion,
  started: number,
  outcome: AssertionOutcome,
  fields: {
    claim: string;
    evidence: string;
    command: string;
    output?: string;
    /**
     * How the host's engine does otherwise than the seed's Docker (Podman's NETAVARK chains, conmon):
     * a claim met that way DIFFERS, said with both sides, as a claim of the seed that does not hold.
     */
    difference?: string | undefined;
  },
): AssertionResult {
  const { difference, ...rest } = fields;
  const differs = difference !== undefined && (outcome === 'pass' || outcome === 'differs');
  return {
    assertion,
    outcome: differs ? 'differs' : outcome,
    ...rest,
    ...(differs && { difference }),
    durationMs: Math.round(ctx.now() - started),
  };
}
