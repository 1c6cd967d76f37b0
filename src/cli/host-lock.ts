import os from 'node:os';
import { lockHost, type LockHolder, type LockOutcome } from '../host/host-lock.js';
import type { HostSession } from '../host/session.js';
import type { CliContext } from './context.js';
import { parseSeconds } from './options.js';
import { quoteCommand } from '../ssh/quote.js';

/**
 * What `lab run` and `lab down` lock each host with: this controller, pid, command line and scenario,
 * waiting --lock-wait seconds for another lab (checked here, before any host is contacted).
 */
export function hostLocker(
  lockWait: unknown,
  ctx: CliContext,
): (session: HostSession, scenario: string) => Promise<LockOutcome> {
  const waitSeconds = parseSeconds('lock-wait', lockWait ?? 0) / 1000;
  const holder = {
    controller: os.hostname(),
    pid: process.pid,
    command: quoteCommand(['lab', ...(ctx.argv ?? [])]),
    since: new Date().toISOString(),
  };
  return (session, scenario) =>
    lockHost(session.shell, { ...holder, scenario }, waitSeconds, (h) => isGone(h, holder));
}

/**
 * A holder that ran on this machine and whose process is gone (a lab killed, or one that lost the
 * host's network and ended): its lock on the host lives only until sshd notices, so it is stale.
 */
function isGone(h: LockHolder, self: { controller: string; pid: number }): boolean {
  if (h.controller !== self.controller || h.pid === self.pid) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (err) {
    // EPERM: a process of that pid runs under another user: not known to be gone.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
