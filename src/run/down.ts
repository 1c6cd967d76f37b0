import PQueue from 'p-queue';
import { asLabError, isLabError, LabError } from '../common/errors.js';
import type { SshTarget } from '../ssh/target.js';
import { closeAll, type Connector, type HostSession } from '../host/session.js';
import { teardownHost, type TeardownOutcome } from './teardown.js';
import { systemClock, type Clock } from '../common/clock.js';
import { dissolveSwarm } from '../swarm/teardown.js';

export interface DownReport {
  scenario: string;
  hosts: (TeardownOutcome | { host: string; error: LabError })[];
  /** What was left in place on purpose, and why (a swarm holding nodes lab did not join). */
  notes?: string[];
  /** Leaving the swarm lab made failed: the hosts are not clean, whatever each host's outcome. */
  swarmError?: LabError;
}

/** The hosts `lab down` could not clean, by name; "swarm" when leaving the swarm failed. */
export function downFailures(report: DownReport): string[] {
  return [
    ...report.hosts.filter((h) => 'error' in h).map((h) => h.host),
    ...(report.swarmError ? [report.swarmError.context.host ?? 'swarm'] : []),
  ];
}

/** Tears a scenario down on every given host at once; one unreachable host never hides the others. */
export async function downScenario(
  scenario: string,
  targets: readonly SshTarget[],
  connect: Connector,
  concurrency: number,
  clock: Clock = systemClock,
): Promise<DownReport> {
  const sessions: HostSession[] = [];
  const queue = new PQueue({ concurrency });
  try {
    const hosts = await Promise.all(
      targets.map((t) =>
        queue.add(async () => {
          try {
            const session = await connect(t);
            sessions.push(session);
            return await teardownHost(session, scenario, clock);
          } catch (err) {
            return { host: t.host, error: asLabError(err, t.host) };
          }
        }),
      ),
    );
    // The swarm spans hosts: it is left once every host is clean, workers before the manager.
    const clean = hosts.filter((h): h is TeardownOutcome => !('error' in h));
    const alive = sessions.filter((s) => clean.some((h) => h.host === s.host));
    const done = new Map<string, string[]>();
    let notes: string[] = [];
    let swarmError: LabError | undefined;
    try {
      const swarm = await dissolveSwarm(alive, scenario, clock, done);
      notes = swarm.notes;
    } catch (err) {
      swarmError = isLabError(err)
        ? err
        : new LabError('host', `the swarm could not be left: ${String(err)}`, {}, { cause: err });
    }
    for (const h of clean) {
      const what = done.get(h.host);
      if (what) h.swarm = what;
    }
    return {
      scenario,
      hosts,
      ...(notes.length > 0 && { notes }),
      ...(swarmError && { swarmError }),
    };
  } finally {
    await closeAll(sessions);
  }
}

export function renderDown(report: DownReport): string {
  const lines: string[] = [];
  for (const h of report.hosts) {
    if ('error' in h) {
      lines.push(`! ${h.host}: ${h.error.describe().split('\n').join('\n  ')}`);
      continue;
    }
    const removed = [
      ...h.containers.map((c) => `container ${c}`),
      ...h.networks.map((n) => `network ${n}`),
      ...h.nics.map((n) => `NIC ${n}`),
      ...(h.swarm ?? []),
    ];
    lines.push(
      `✔ ${h.host}: ${removed.length === 0 ? `nothing of ${report.scenario} left` : `removed ${removed.join(', ')}`}`,
    );
  }
  for (const note of report.notes ?? []) lines.push(`! ${note}`);
  if (report.swarmError) {
    lines.push(
      `! the swarm could not be left: ${report.swarmError.describe().split('\n').join('\n  ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
