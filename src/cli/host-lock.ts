import os from 'node:os';
import { lockHost, type LockOutcome } from '../host/host-lock.js';
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
  return (session, scenario) => lockHost(session.shell, { ...holder, scenario }, waitSeconds);
}
