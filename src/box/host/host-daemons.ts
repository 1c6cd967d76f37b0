import { readFile, stat } from 'node:fs/promises';
import { LabError, tail } from '../../common/errors.js';
import { inCgroup } from '../anchor.js';
import { pollUntil } from '../../common/clock.js';
import { nsenterPrefix, type HostLayout } from '../layout.js';
import { isAlive, processRef } from '../system/processes.js';
import type { Programs } from '../prerequisites.js';
import { quoteCommand } from '../../ssh/quote.js';
import { probeSshBannerInHost } from './ssh-banner.js';
import type { ProcessRef } from '../state.js';
import type { BoxSystem } from '../system/system.js';

/** What a host's daemons are started with: the host, its anchor and its cgroup. */
export interface HostContext {
  host: string;
  address: string;
  anchor: ProcessRef;
  cgroupProcsFile: string;
  layout: HostLayout;
  /** Set for a host behind a jump host: its sshd is probed from inside, the machine cannot reach it. */
  behind?: string;
}

const SSHD_READY_MS = 15_000;
const DOCKERD_READY_MS = 60_000;

export function sshdArgv(programs: Programs, layout: HostLayout): string[] {
  // -D: stay in the foreground so the pid we get is sshd's; sshd needs its absolute path to re-exec.
  return [programs.sshd, '-D', '-f', layout.sshdConfig, '-E', layout.sshdLog];
}

/** Starts a program inside the host (nsenter into the anchor), tracked in the host's cgroup. */
async function startInHost(
  sys: BoxSystem,
  programs: Programs,
  ctx: HostContext,
  argv: readonly string[],
  logFile: string,
): Promise<ProcessRef> {
  const [, ...prefixRest] = nsenterPrefix(ctx.anchor.pid);
  const full = inCgroup(ctx.cgroupProcsFile, [programs.nsenter, ...prefixRest, ...argv]);
  const pid = await sys.runner.spawnDaemon(full, { logFile });
  const ref = await processRef(sys.procs, pid);
  if (!ref) {
    throw new LabError('remote', `${ctx.host}: ${argv[0]} exited at once`, {
      host: ctx.host,
      command: quoteCommand(argv),
      stderrTail: tail(await readFile(logFile, 'utf8').catch(() => '')) || '(no output)',
    });
  }
  return ref;
}

export async function startSshd(
  sys: BoxSystem,
  programs: Programs,
  ctx: HostContext,
): Promise<ProcessRef> {
  const argv = sshdArgv(programs, ctx.layout);
  const ref = await startInHost(sys, programs, ctx, argv, `${ctx.layout.sshdLog}.out`);
  const ready = await pollUntil(sys.clock, SSHD_READY_MS, 50, async () => {
    if (!isAlive(await sys.procs.inspect(ref.pid))) return false;
    const answers = ctx.behind
      ? await probeSshBannerInHost(sys.runner, nsenterPrefix(ctx.anchor.pid), ctx.address, 1_000)
      : await sys.sshProbe(ctx.address, 22, 1_000);
    return answers ? true : undefined;
  });
  if (ready !== true) {
    const log = [
      await readFile(ctx.layout.sshdLog, 'utf8').catch(() => ''),
      await readFile(`${ctx.layout.sshdLog}.out`, 'utf8').catch(() => ''),
    ].join('\n');
    const what =
      ready === false ? 'sshd exited while starting' : `sshd did not answer on ${ctx.address}:22`;
    throw new LabError('remote', `${ctx.host}: ${what}`, {
      host: ctx.host,
      command: quoteCommand(argv),
      stderrTail: tail(log, 12) || '(no output)',
    });
  }
  return ref;
}

/** Starts the host's engine daemon (argv from its HostEngine) and waits until its socket answers. */
export async function startDockerd(
  sys: BoxSystem,
  programs: Programs,
  ctx: HostContext,
  socket: string,
  argv: readonly string[],
): Promise<ProcessRef> {
  // The log is appended to across restarts (startEngine): only this start's part tells why it failed.
  const logStart = await stat(ctx.layout.dockerdLog).then(
    (s) => s.size,
    () => 0,
  );
  const ref = await startInHost(sys, programs, ctx, argv, ctx.layout.dockerdLog);
  const ready = await pollUntil(sys.clock, DOCKERD_READY_MS, 50, async () => {
    if (!isAlive(await sys.procs.inspect(ref.pid))) return false;
    return (await sys.engine.ping(socket)) ? true : undefined;
  });
  if (ready !== true) {
    const log = await readFile(ctx.layout.dockerdLog).then(
      (b) => b.subarray(logStart).toString('utf8'),
      () => '',
    );
    // dockerd's last line is its fatal error ("failed to start containerd: …"): said in the message.
    const last = log.trimEnd().split('\n').at(-1)?.trim();
    const what =
      ready === false
        ? `dockerd exited while starting${last ? `: ${last}` : ''}`
        : `dockerd did not come up (${socket} does not answer /_ping within ${DOCKERD_READY_MS / 1000} s)`;
    throw new LabError('remote', `${ctx.host}: ${what}`, {
      host: ctx.host,
      command: quoteCommand(argv),
      // The tail is all there will be: a failed `up` removes the state directory, logs included.
      stderrTail: tail(log, 20) || '(no output)',
    });
  }
  return ref;
}
