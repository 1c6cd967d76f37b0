/**
 * Whether lab can change this host's NICs: they need root. Asked the way the changes will be made
 * (`id -u` with become, so through `sudo -n` where the inventory asks for it), in one command.
 */
import type { HostSession } from '../host/session.js';

/** A problem to report before anything changes, or undefined when NIC changes will work. */
export async function privilegeProblem(session: HostSession): Promise<string | undefined> {
  const r = await session.shell.exec(['id', '-u'], { become: true });
  if (r.exitCode === 0 && r.stdout.trim() === '0') return undefined;
  if (r.exitCode === 0) {
    return `NIC changes need root, and lab logs in as uid ${r.stdout.trim()} without become: set ansible_become=true for ${session.host} (lab then uses sudo -n), or log in as root`;
  }
  const why = r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`;
  return `NIC changes need root, and sudo -n fails: ${why} (sudo must work without a password prompt)`;
}
