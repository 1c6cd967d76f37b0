import type { Duplex } from 'node:stream';
import PQueue from 'p-queue';
import { LabError } from '../common/errors.js';
import { CommandPipe, PipeUnavailable, type InteractiveChannel } from './command-pipe.js';
import { CommandStream } from './command-stream.js';
import type { ExecOptions, ExecResult, RemoteShell } from './host-shell.js';
import { quoteCommand, quoteWord } from './quote.js';
import type { SshStats } from './stats.js';
import type { SshTransport } from './transport.js';

export interface SshHostShellSettings {
  /** The inventory name, for messages. */
  host: string;
  /** "198.18.0.2:22": where the connection goes, for the message when it is lost. */
  address?: string;
  /** The SSH login user: commands asking for become run through sudo unless it is root. */
  user: string;
  /** ansible_become for this host. */
  become: boolean;
  /**
   * Session channels open at once on this connection. sshd refuses an 11th (MaxSessions 10 by
   * default), so 8 leaves room for a person's own ssh multiplexing and never hits the limit.
   */
  maxChannels: number;
  /** Per-call timeout when the call gives none. */
  defaultTimeoutMs: number;
  stats: SshStats;
  /** Monotonic milliseconds; injected so tests can control durations. */
  now: () => number;
  /**
   * Run commands through one long-lived shell on the host (see command-pipe.ts) rather than a new
   * session each; the pipe is opened at once, and a host where it cannot be falls back to sessions.
   */
  pipeline?: boolean;
}

/** Scripts up to this size go through the pipe as `sh -c '…'`; longer ones keep `sh -s` (ARG_MAX). */
const MAX_PIPED_SCRIPT = 64 * 1024;

/** How long a timed-out command's channel may keep its slot before the slot is given up. */
const ABANDON_AFTER_MS = 10_000;

/**
 * HostShell over one SSH connection. Commands queue for a free session channel (at most
 * maxChannels at once), so a caller may fire a hundred at once safely; each has its own timeout.
 */
export class SshHostShell implements RemoteShell {
  readonly host: string;
  readonly login: { user: string; become: boolean };
  readonly #transport: SshTransport;
  readonly #settings: SshHostShellSettings;
  readonly #queue: PQueue;
  #closedBy: string | undefined;
  #lost: string | undefined;
  /** The pipe being opened or open; undefined when it could not be (then sessions it is). */
  #pipe: Promise<CommandPipe | undefined> | undefined;
  #pipeGaveUp = false;
  /**
   * Engine streams still open (socket forwards, dial-stdio relays): failed with the reason when the
   * connection ends, whichever way they go, so no request on one waits for an answer that cannot come.
   */
  readonly #streams = new Set<Duplex>();

  constructor(transport: SshTransport, settings: SshHostShellSettings) {
    this.host = settings.host;
    this.login = { user: settings.user, become: settings.become };
    this.#transport = transport;
    this.#settings = settings;
    // The pipe's shell holds one session channel for good.
    this.#queue = new PQueue({
      concurrency: Math.max(1, settings.maxChannels - (settings.pipeline ? 1 : 0)),
    });
    // Opened now, while the caller sets up the rest (Docker): the first command finds it ready.
    if (settings.pipeline) void this.#currentPipe();
    transport.onClose((err) => {
      const to = settings.address ? ` to ${settings.host} (${settings.address})` : '';
      if (this.#closedBy === undefined)
        this.#lost = `connection${to || ` to ${settings.host}`} lost`;
      this.#closedBy ??= err
        ? `connection${to} lost (${err.message})`
        : 'the connection was closed by the host';
      // Before ssh2 ends their channels quietly: each stream's reader (an HTTP request to the
      // Engine) then fails saying the connection was lost, not "socket hang up".
      const reason = new LabError('host', this.#lost ?? this.#closedBy, { host: settings.host });
      for (const s of this.#streams) s.destroy(reason);
      this.#streams.clear();
    });
  }

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const command = this.#privileged(quoteCommand(argv), options.become);
    if (options.stdin === undefined) {
      const piped = await this.#runInPipe(command, options);
      if (piped) return piped;
    }
    return this.#run(command, options);
  }

  async script(script: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (options.stdin !== undefined) {
      throw new LabError(
        'input',
        'script() sends the script on stdin; it cannot take options.stdin too',
        {
          host: this.host,
        },
      );
    }
    if (script.length <= MAX_PIPED_SCRIPT) {
      const command = this.#privileged(`sh -c ${quoteWord(script)}`, options.become);
      const piped = await this.#runInPipe(command, options);
      if (piped) return piped;
    }
    return this.#run(this.#privileged('sh -s', options.become), { ...options, stdin: script });
  }

  async openUnixSocket(path: string): Promise<Duplex> {
    this.#assertOpen(`open ${path}`);
    try {
      const stream = await this.#transport.openStreamLocal(path);
      this.#settings.stats.unixSocketsOpened++;
      return this.#tracked(stream);
    } catch (err) {
      throw new LabError(
        'host',
        `${this.host}: cannot open the unix socket ${path} over SSH: ${(err as Error).message}`,
        {
          host: this.host,
          command: `open ${path}`,
          hint: 'does the socket exist on the host, and does its sshd allow AllowStreamLocalForwarding (the default)?',
        },
        { cause: err },
      );
    }
  }

  lost(): string | undefined {
    return this.#lost;
  }

  async hold(
    argv: readonly string[],
    options: { become?: boolean } = {},
  ): Promise<InteractiveChannel> {
    const command = this.#privileged(quoteCommand(argv), options.become);
    this.#assertOpen(command);
    this.#settings.stats.commandsRun++;
    return this.#transport.openInteractive(command);
  }

  async openCommandStream(
    argv: readonly string[],
    options: { become?: boolean } = {},
  ): Promise<Duplex> {
    const command = this.#privileged(quoteCommand(argv), options.become);
    this.#assertOpen(command);
    try {
      const exec = await this.#transport.openExecStream(command);
      this.#settings.stats.commandsRun++;
      return this.#tracked(new CommandStream(exec, this.host, command));
    } catch (err) {
      throw new LabError(
        'host',
        `${this.host}: cannot start \`${command}\` over SSH: ${this.#closedBy ?? (err as Error).message}`,
        { host: this.host, command },
        { cause: err },
      );
    }
  }

  /** The stream, failed at once if the connection already ended, else kept until it closes. */
  #tracked(stream: Duplex): Duplex {
    if (this.#closedBy) stream.destroy(new LabError('host', this.#closedBy, { host: this.host }));
    else {
      this.#streams.add(stream);
      stream.once('close', () => this.#streams.delete(stream));
    }
    return stream;
  }

  reserveSessions(count: number): number {
    const { maxChannels, pipeline } = this.#settings;
    // Commands keep at least one session of their own besides the pipe's shell.
    const commands = maxChannels - (pipeline ? 1 : 0);
    const granted = Math.max(0, Math.min(count, commands - 1));
    this.#queue.concurrency = commands - granted;
    return granted;
  }

  async close(): Promise<void> {
    this.#closedBy ??= 'the shell was closed';
    this.#pipeGaveUp = true;
    void this.#pipe?.then((p) => p?.close());
    await this.#transport.close();
  }

  /** The open pipe, opening a new one if the last one ended; undefined when pipes are not to be. */
  #currentPipe(): Promise<CommandPipe | undefined> {
    // Chained, so that callers arriving together share one opening.
    this.#pipe = (this.#pipe ?? Promise.resolve(undefined)).then((p) => {
      if (p?.alive) return p;
      if (this.#pipeGaveUp || this.#closedBy) return undefined;
      return this.#transport.openInteractive('sh').then(
        (channel) => new CommandPipe(channel),
        () => {
          this.#pipeGaveUp = true;
          return undefined;
        },
      );
    });
    return this.#pipe;
  }

  /** The command's result through the pipe; undefined when it has to go through a session. */
  async #runInPipe(command: string, options: ExecOptions): Promise<ExecResult | undefined> {
    if (!this.#settings.pipeline) return undefined;
    this.#assertOpen(command);
    const pipe = await this.#currentPipe();
    if (!pipe) return undefined;
    const { now, stats } = this.#settings;
    const started = now();
    try {
      const r = await pipe.run(command, options.timeoutMs ?? this.#settings.defaultTimeoutMs);
      stats.commandsRun++;
      return {
        exitCode: r.exitCode,
        stdout: r.stdout.toString('utf8'),
        stderr: r.stderr.toString('utf8'),
        durationMs: Math.round(now() - started),
        ...(r.timedOut && { timedOut: true }),
      };
    } catch (err) {
      if (err instanceof PipeUnavailable) return undefined;
      stats.commandsRun++;
      throw new LabError(
        'host',
        `${this.host}: could not run \`${command}\`: ${this.#closedBy ?? (err as Error).message}`,
        { host: this.host, command, durationMs: Math.round(now() - started) },
        { cause: err },
      );
    }
  }

  /** `sudo -n` (never prompt: a prompt would hang the run) only where it is both asked and needed. */
  #privileged(command: string, become: boolean | undefined): string {
    return become && this.#settings.become && this.#settings.user !== 'root'
      ? `sudo -n ${command}`
      : command;
  }

  #assertOpen(command: string): void {
    if (this.#closedBy) {
      throw new LabError('host', `${this.host}: cannot run \`${command}\`: ${this.#closedBy}`, {
        host: this.host,
        command,
      });
    }
  }

  #run(command: string, options: ExecOptions): Promise<ExecResult> {
    // The caller's promise settles when the command ends or times out; the queue slot is held until
    // the channel is really closed, because until then sshd counts it against MaxSessions.
    return new Promise<ExecResult>((resolve, reject) => {
      void this.#queue.add(() => this.#runInSlot(command, options, resolve, reject));
    });
  }

  async #runInSlot(
    command: string,
    options: ExecOptions,
    resolve: (r: ExecResult) => void,
    reject: (e: unknown) => void,
  ): Promise<void> {
    // Queued calls still run after close(); they fail fast here instead of hanging.
    try {
      this.#assertOpen(command);
    } catch (err) {
      reject(err);
      return;
    }
    const { now, stats } = this.#settings;
    const timeoutMs = options.timeoutMs ?? this.#settings.defaultTimeoutMs;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const started = now();
    const result = (code: number | null, signal: string | null, timedOut: boolean): ExecResult => ({
      exitCode: timedOut ? null : code,
      // Decoded once at the end: a multi-byte character may straddle two chunks.
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
      durationMs: Math.round(now() - started),
      ...(timedOut ? { timedOut: true } : {}),
      ...(signal ? { signal } : {}),
    });

    let timedOut = false;
    let abort: (() => void) | undefined;
    let abandonTimer: NodeJS.Timeout | undefined;
    let abandon: () => void = () => {};
    const abandoned = new Promise<'abandoned'>((r) => (abandon = () => r('abandoned')));
    const timer = setTimeout(() => {
      timedOut = true;
      abort?.();
      // The caller hears now, with the output so far. sshd may not end the process (it refuses
      // signals in root logins), so a channel that stays open is given up after a while: the slot
      // then frees, at worst to meet a clear "Channel open failure" instead of a hang.
      resolve(result(null, null, true));
      abandonTimer = setTimeout(abandon, ABANDON_AFTER_MS);
    }, timeoutMs);

    stats.commandsRun++;
    const running = this.#transport.exec(command, {
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      onStdout: (c) => stdout.push(c),
      onStderr: (c) => stderr.push(c),
      onStarted: (a) => {
        abort = a;
        if (timedOut) a();
      },
    });
    try {
      const done = await Promise.race([running, abandoned]);
      if (done !== 'abandoned') resolve(result(done.code, done.signal, timedOut));
    } catch (err) {
      reject(
        err instanceof LabError
          ? err
          : new LabError(
              'host',
              `${this.host}: could not run \`${command}\`: ${this.#closedBy ?? (err as Error).message}`,
              { host: this.host, command, durationMs: Math.round(now() - started) },
              { cause: err },
            ),
      );
    } finally {
      clearTimeout(timer);
      clearTimeout(abandonTimer);
      running.catch(() => {});
    }
  }
}
