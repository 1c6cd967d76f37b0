import { requireSuccess } from '../ssh/checked.js';
import { quoteCommand, quoteWord } from '../ssh/quote.js';
import type { HostSession } from '../host/session.js';

/**
 * Joins argv lists into one POSIX shell script that stops at the first failure and says which
 * command failed, so a host's NIC work costs one SSH round trip instead of one per command.
 */
export function toScript(commands: readonly (readonly string[])[]): string {
  const lines = ['set -e'];
  for (const argv of commands) {
    const cmd = quoteCommand(argv);
    lines.push(`${cmd} || { echo ${quoteWord(`failed: ${cmd}`)} >&2; exit 1; }`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs the commands as one privileged script on the host; a non-zero exit is a LabError saying `what` failed. */
export async function runPrivilegedScript(
  session: HostSession,
  commands: readonly (readonly string[])[],
  what: string,
): Promise<void> {
  const r = await session.shell.script(toScript(commands), { become: true });
  requireSuccess(
    session.host,
    commands.map((c) => c.join(' ')).join('; '),
    r,
    `${what} on ${session.host} failed`,
  );
}
