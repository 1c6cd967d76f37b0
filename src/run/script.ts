import { quoteShellWord } from '../plan/shell-words.js';

/**
 * Joins argv lists into one POSIX shell script that stops at the first failure and says which
 * command failed, so a host's NIC work costs one SSH round trip instead of one per command.
 */
export function toScript(commands: readonly (readonly string[])[]): string {
  const lines = ['set -e'];
  for (const argv of commands) {
    const cmd = argv.map(quoteShellWord).join(' ');
    lines.push(`${cmd} || { echo ${quoteShellWord(`failed: ${cmd}`)} >&2; exit 1; }`);
  }
  return `${lines.join('\n')}\n`;
}
