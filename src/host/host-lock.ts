import { LabError } from '../common/errors.js';
import type { HostShell } from '../ssh/host-shell.js';
import { NIC_STATE_DIR } from './nic-state.js';

/** Who holds a host: enough for a second `lab` to say whom it is waiting for. */
export interface LockHolder {
  /** The controller's host name. */
  controller: string;
  pid: number;
  /** The command line, as typed ("lab run macvlan-two-nic -i box"). */
  command: string;
  scenario: string;
  /** ISO time the lock was taken. */
  since: string;
  /** On the host: the pid of the shell that holds the flock (written by the host, not by lab). */
  shell?: number;
}

export const LOCK_FILE = `${NIC_STATE_DIR}/host.lock`;
export const HOLDER_FILE = `${NIC_STATE_DIR}/host.lock.holder`;

/**
 * Run on the host through one channel that stays open: `flock` on a file under /run, held by this
 * shell for as long as its stdin is open, so the lock dies with the SSH connection (a killed lab, a
 * lost network) and never outlives it. The lock file is removed on release while still held; whoever
 * then gets the lock on the removed file sees it is no longer the one at the path (-ef) and retries.
 * Prints one word first: `locked`, `busy HOLDER-JSON`, or `nolock WHY` (no flock, /run not writable).
 */
const LOCK_SCRIPT = [
  'd=$1 f=$2 h=$3 w=$4',
  'mkdir -p "$d" 2>/dev/null && [ -w "$d" ] || { echo "nolock cannot write $d"; exit 0; }',
  'command -v flock >/dev/null 2>&1 || { echo "nolock the host has no flock (util-linux)"; exit 0; }',
  'while :; do',
  '  exec 9>>"$f" || { echo "nolock cannot open $f"; exit 0; }',
  '  if [ "$w" = 0 ]; then flock -n 9; else flock -w "$w" 9; fi ||',
  '    { printf "busy "; head -n 1 "$h" 2>/dev/null; echo; exit 0; }',
  '  [ "$f" -ef /dev/fd/9 ] && break',
  '  exec 9>&-',
  'done',
  // The holder as lab gave it, with this shell's pid put first: what a takeover kills.
  'printf \'{"shell":%s,%s\\n\' "$$" "${5#\\{}" > "$h"',
  'echo locked',
  'read -r _',
  'rm -f "$h" "$f"',
  'rmdir "$d" 2>/dev/null',
  'exit 0',
].join('\n');

const ANSWER_MS = 15_000;

export interface HostLock {
  /** Lets the lock go now (it goes with the connection anyway). */
  release(): void;
}

/**
 * What locking a host came to: held (with a note when it was taken over from a stale holder),
 * refused (another lab holds it), or not possible there.
 */
export type LockOutcome =
  | { kind: 'held'; lock: HostLock; note?: string }
  | { kind: 'busy'; error: LabError }
  | { kind: 'unlocked'; note: string };

/**
 * Takes the host's lock for a run or down, waiting up to `waitSeconds` for another lab to let it go.
 * `busy` names the holder (controller, pid, command, scenario, since when).
 */
export async function lockHost(
  shell: HostShell,
  holder: LockHolder,
  waitSeconds: number,
  /** Whether a holder is known dead (its lab's process gone): its lock may be taken over. */
  isStale?: (holder: LockHolder) => boolean,
): Promise<LockOutcome> {
  const first = await tryLock(shell, holder, waitSeconds);
  if (first.kind !== 'busy' || !isStale) return first;
  const stale = first.holder;
  if (!stale?.shell || !isStale(stale) || !(await killStaleHolder(shell, stale.shell)))
    return first;
  // The killed shell's flock goes as it exits: a moment's wait, not the caller's --lock-wait.
  const again = await tryLock(shell, holder, Math.max(waitSeconds, TAKEOVER_WAIT_SECONDS));
  if (again.kind !== 'held') return again;
  const note = `${shell.host}: took over the lock of \`${stale.command}\` (pid ${stale.pid} on ${stale.controller}, no longer running)`;
  return { ...again, note };
}

const TAKEOVER_WAIT_SECONDS = 5;

/**
 * Kills the shell holding the host's lock for a lab that is gone, as root where lab becomes root:
 * only while the holder file still names that shell and the process is the lock script.
 */
async function killStaleHolder(shell: HostShell, pid: number): Promise<boolean> {
  const script =
    'p=$1 f=$2 h=$3; grep -q "^{\\"shell\\":$p," "$h" 2>/dev/null || exit 3; ' +
    'tr "\\0" " " < "/proc/$p/cmdline" 2>/dev/null | grep -qF "$f" || exit 4; kill "$p"';
  const r = await shell
    .exec(['sh', '-c', script, 'sh', String(pid), LOCK_FILE, HOLDER_FILE], {
      become: true,
      timeoutMs: ANSWER_MS,
    })
    .catch(() => undefined);
  return r?.exitCode === 0;
}

type Attempt =
  | Exclude<LockOutcome, { kind: 'busy' }>
  | {
      kind: 'busy';
      error: LabError;
      holder: LockHolder | undefined;
    };

async function tryLock(
  shell: HostShell,
  holder: LockHolder,
  waitSeconds: number,
): Promise<Attempt> {
  if (!shell.hold) return { kind: 'unlocked', note: 'this connection cannot hold a lock' };
  const argv = ['sh', '-c', LOCK_SCRIPT, 'sh', NIC_STATE_DIR, LOCK_FILE, HOLDER_FILE];
  const channel = await shell.hold([...argv, String(waitSeconds), JSON.stringify(holder)], {
    become: true,
  });
  let timer: NodeJS.Timeout | undefined;
  const first = await new Promise<string>((resolve) => {
    let out = '';
    const line = () => resolve(out.split('\n')[0] ?? '');
    channel.onStdout((chunk) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) line();
    });
    channel.onEnd(line);
    // The wait, and then some for the round trip: a host that says nothing is not held up on.
    timer = setTimeout(line, waitSeconds * 1000 + ANSWER_MS);
  });
  clearTimeout(timer);
  if (first === 'locked')
    return { kind: 'held', lock: { release: () => channel.write('release\n') } };
  channel.kill();
  if (first.startsWith('busy')) {
    const held = parseHolder(first.slice(5));
    return { kind: 'busy', error: busyError(shell.host, held), holder: held };
  }
  const why = first.startsWith('nolock ') ? first.slice(7) : 'the lock command did not answer';
  return { kind: 'unlocked', note: `not locked against another lab: ${why}` };
}

function busyError(host: string, holder: LockHolder | undefined): LabError {
  const who = holder
    ? `\`${holder.command}\` (scenario ${holder.scenario}) from ${holder.controller}, pid ${holder.pid}, since ${holder.since}`
    : 'a lab that has not yet said who it is';
  return new LabError('conflict', `${host} is locked by another lab: ${who}; nothing was changed`, {
    host,
    hint: 'wait until it finishes, or give --lock-wait SECONDS to wait for it',
  });
}

export function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.command !== 'string' || typeof h.pid !== 'number') return undefined;
    return {
      controller: String(h.controller),
      pid: h.pid,
      command: h.command,
      scenario: String(h.scenario),
      since: String(h.since),
      ...(typeof h.shell === 'number' && { shell: h.shell }),
    };
  } catch {
    return undefined;
  }
}
