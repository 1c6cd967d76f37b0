import { randomBytes } from 'node:crypto';

/**
 * One long-lived `sh` on the host, fed commands one after the other on its stdin: a command costs a
 * fork on the host instead of a new SSH session (sshd's fork, login and the user's shell, which reads
 * ~/.bashrc: ~45 ms each on the box, far more on a host whose rc files do work). The same idea as
 * Ansible's pipelining and OpenSSH's ControlMaster.
 *
 * Each command runs in a subshell with stdin from /dev/null, and is followed by two markers with a
 * fresh random nonce: one on stdout carrying the exit status, one on stderr. The command's output is
 * what comes before its markers, byte for byte. A command that outlives its timeout kills the pipe
 * (the shell cannot interrupt a foreground command); the next command opens a new one.
 */

/** A session channel running a command whose stdin stays open: what the pipe needs of SSH. */
export interface InteractiveChannel {
  write(text: string): void;
  onStdout(listener: (chunk: Buffer) => void): void;
  onStderr(listener: (chunk: Buffer) => void): void;
  /** Called once when the remote command ends or the channel closes. */
  onEnd(listener: () => void): void;
  /** Ends the remote command and closes the channel. */
  kill(): void;
}

export interface PipeResult {
  /** null when the command timed out (the pipe is then gone). */
  exitCode: number | null;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
}

/** The pipe could not take the command at all (nothing was sent): the caller may run it elsewhere. */
export class PipeUnavailable extends Error {
  override readonly name = 'PipeUnavailable';
}

/** The shell ended while the command ran: it may have run in part, so it must not be run again. */
export class PipeLost extends Error {
  override readonly name = 'PipeLost';
}

interface Pending {
  nonce: string;
  stdoutMarker: RegExp;
  stderrMarker: Buffer;
  resolve: (r: PipeResult) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

export class CommandPipe {
  readonly #channel: InteractiveChannel;
  #stdout = Buffer.alloc(0);
  #stderr = Buffer.alloc(0);
  #pending: Pending | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #dead = false;

  constructor(channel: InteractiveChannel) {
    this.#channel = channel;
    channel.onStdout((c) => {
      this.#stdout = Buffer.concat([this.#stdout, c]);
      this.#settle();
    });
    channel.onStderr((c) => {
      this.#stderr = Buffer.concat([this.#stderr, c]);
      this.#settle();
    });
    channel.onEnd(() => this.#die(new PipeLost('the shell on the host ended during the command')));
  }

  /** False once the shell ended or was killed: commands must go elsewhere. */
  get alive(): boolean {
    return !this.#dead;
  }

  /** Runs one shell command line; commands run one at a time, in the order given. */
  run(command: string, timeoutMs: number): Promise<PipeResult> {
    const turn = this.#tail.then(() => this.#runNow(command, timeoutMs));
    this.#tail = turn.catch(() => {});
    return turn;
  }

  close(): void {
    if (this.#dead) return;
    this.#die(new PipeLost('the pipe was closed during the command'));
    this.#channel.kill();
  }

  #runNow(command: string, timeoutMs: number): Promise<PipeResult> {
    if (this.#dead) return Promise.reject(new PipeUnavailable('the shell ended'));
    const nonce = randomBytes(12).toString('hex');
    return new Promise<PipeResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        const out = { stdout: this.#stdout, stderr: this.#stderr };
        this.#pending = undefined;
        this.#die(new PipeLost('timed out'));
        this.#channel.kill();
        resolve({ exitCode: null, ...out, timedOut: true });
      }, timeoutMs);
      this.#pending = {
        nonce,
        // The leading newline ends whatever line the command left open; it is not the command's.
        stdoutMarker: new RegExp(`\\n@@lab:${nonce}:(\\d+)\\n`),
        stderrMarker: Buffer.from(`\n@@lab:${nonce}\n`),
        resolve,
        reject,
        timer,
      };
      this.#channel.write(
        `( ${command}\n) </dev/null; printf '\\n@@lab:${nonce}:%d\\n' "$?"; printf '\\n@@lab:${nonce}\\n' >&2\n`,
      );
    });
  }

  #settle(): void {
    const p = this.#pending;
    if (!p) return;
    const marker = Buffer.from(`\n@@lab:${p.nonce}:`);
    const at = this.#stdout.indexOf(marker);
    const errAt = this.#stderr.indexOf(p.stderrMarker);
    if (at < 0 || errAt < 0) return;
    const rest = this.#stdout.subarray(at).toString('latin1');
    const m = p.stdoutMarker.exec(rest);
    if (!m || m.index !== 0) return;
    const stdout = this.#stdout.subarray(0, at);
    const stderr = this.#stderr.subarray(0, errAt);
    this.#stdout = this.#stdout.subarray(at + m[0].length);
    this.#stderr = this.#stderr.subarray(errAt + p.stderrMarker.length);
    clearTimeout(p.timer);
    this.#pending = undefined;
    p.resolve({ exitCode: Number(m[1]), stdout, stderr, timedOut: false });
  }

  #die(reason: PipeLost): void {
    if (this.#dead) return;
    this.#dead = true;
    const p = this.#pending;
    this.#pending = undefined;
    if (p) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
  }
}
