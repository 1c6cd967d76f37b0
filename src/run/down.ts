import PQueue from 'p-queue';
import { isLabError, LabError } from '../errors.js';
import type { SshTarget } from '../plan/model.js';
import { closeAll, type Connector, type HostSession } from './session.js';
import { teardownHost, type TeardownOutcome } from './teardown.js';

export interface DownReport {
  scenario: string;
  hosts: (TeardownOutcome | { host: string; error: LabError })[];
}

/** Tears a scenario down on every given host at once; one unreachable host never hides the others. */
export async function downScenario(
  scenario: string,
  targets: readonly SshTarget[],
  connect: Connector,
  concurrency: number,
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
            return await teardownHost(session, scenario);
          } catch (err) {
            const error = isLabError(err)
              ? err
              : new LabError('host', String(err), { host: t.host }, { cause: err });
            return { host: t.host, error };
          }
        }),
      ),
    );
    return { scenario, hosts };
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
    ];
    lines.push(
      `✔ ${h.host}: ${removed.length === 0 ? `nothing of ${report.scenario} left` : `removed ${removed.join(', ')}`}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
