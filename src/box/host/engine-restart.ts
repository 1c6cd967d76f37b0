import { LabError } from '../../common/errors.js';
import { boxLayout, hostRoot, machineSideSocket } from '../layout.js';
import { checkPrerequisites } from '../prerequisites.js';
import {
  readStateFile,
  writeStateFile,
  type BoxHostState,
  type BoxState,
  type ProcessRef,
} from '../state.js';
import { ensureDaemonCgroup, trackingHierarchy } from '../system/cgroups.js';
import { isAlive } from '../system/processes.js';
import type { BoxSystem } from '../system/system.js';
import { prepareEngines } from '../engine/prepare.js';
import { clearDeadEngine, readEnginePids, waitEngineDead } from './dead-engine.js';
import { startDockerd, startSshd, type HostContext } from './host-daemons.js';

/**
 * Fault injection for the fault suite and by hand: kills one host's dockerd (SIGKILL, as a crash
 * would: its socket and pidfile stay behind), its containers' processes living on or not as Docker's
 * own shims decide. Returns once dockerd and the containerd it ran are dead (their parent-death
 * signal takes containerd along), so that what a test does next meets a dead engine.
 */
export async function killEngine(sys: BoxSystem, stateDir: string, host: string): Promise<void> {
  const { state, index } = await hostOf(stateDir, host);
  const h = state.hosts[index];
  if (!h || !(await runsAsRecorded(sys, h.dockerd))) return;
  const pids = await readEnginePids(hostRoot(h.anchor.pid), h.dockerd.pid);
  sys.procs.signal(h.dockerd.pid, 'SIGKILL');
  if (!(await waitEngineDead(sys.procs, sys.clock, pids))) {
    const which = `dockerd (pid ${pids.dockerd}) or its containerd (pid ${pids.containerd ?? '?'})`;
    throw new LabError('remote', `${host}: ${which} still runs after SIGKILL`, { host });
  }
}

/** Starts a host's dockerd again after killEngine, and records it so `lab box down` stops it. */
export async function startEngine(sys: BoxSystem, stateDir: string, host: string): Promise<void> {
  const { state, index } = await hostOf(stateDir, host);
  const h = state.hosts[index];
  if (!h) return;
  if (await runsAsRecorded(sys, h.dockerd)) return;
  // The killed engine's pidfiles go first, or the new dockerd takes a zombie (or a reused pid) for
  // a running dockerd or containerd and refuses to start (dead-engine.ts says how).
  const root = hostRoot(h.anchor.pid);
  await clearDeadEngine(sys.procs, sys.clock, root, await readEnginePids(root, h.dockerd.pid));
  const { programs, ctx } = await restartContext(sys, stateDir, h);
  // The host's own engine (--engine), started as `lab box up` started it.
  const engines = await prepareEngines(sys, programs, stateDir, [h.name], {
    ...(h.engine !== undefined && { [h.name]: h.engine }),
  });
  const engine = engines[h.name];
  if (!engine) return;
  const argv = engine.daemonArgv(ctx.layout);
  const dockerd = await startDockerd(sys, programs, ctx, machineSideSocket(h.anchor.pid), argv);
  const hosts = state.hosts.map((x, i) => (i === index ? { ...x, dockerd } : x));
  await writeStateFile(boxLayout(stateDir).stateFile, { ...state, hosts });
}

/** What a daemon of the host is started with again, as `lab box up` started it. */
async function restartContext(sys: BoxSystem, stateDir: string, h: BoxHostState) {
  const programs = await checkPrerequisites(sys.isRoot, sys.findProgram);
  const cgroupProcsFile = await ensureDaemonCgroup(
    await trackingHierarchy(sys.cgroupRoot),
    h.cgroup,
  );
  const ctx: HostContext = {
    host: h.name,
    address: h.address,
    anchor: h.anchor,
    cgroupProcsFile,
    layout: boxLayout(stateDir).host(h.name),
  };
  return { programs, ctx };
}

/**
 * Fault injection: kills every sshd of one host (SIGKILL: the listener and each session's), as a
 * crashed or killed sshd would; the connections to it end at once.
 */
export async function killSshd(sys: BoxSystem, stateDir: string, host: string): Promise<void> {
  const { state, index } = await hostOf(stateDir, host);
  const h = state.hosts[index];
  if (!h) return;
  const netns = await sys.procs.netnsInode(h.anchor.pid);
  for (const pid of await sys.procs.list()) {
    const info = await sys.procs.inspect(pid);
    if (!isAlive(info) || !info.cmdline[0]?.includes('sshd')) continue;
    if ((await sys.procs.netnsInode(pid)) === netns) sys.procs.signal(pid, 'SIGKILL');
  }
}

/** Starts a host's sshd again after killSshd, and records it so `lab box down` stops it. */
export async function startSshdAgain(sys: BoxSystem, stateDir: string, host: string) {
  const { state, index } = await hostOf(stateDir, host);
  const h = state.hosts[index];
  if (!h || (await runsAsRecorded(sys, h.sshd))) return;
  const { programs, ctx } = await restartContext(sys, stateDir, h);
  const sshd = await startSshd(sys, programs, ctx);
  const hosts = state.hosts.map((x, i) => (i === index ? { ...x, sshd } : x));
  await writeStateFile(boxLayout(stateDir).stateFile, { ...state, hosts });
}

/** The recorded process still runs: alive (not a zombie) and not another process under its pid. */
async function runsAsRecorded(sys: BoxSystem, ref: ProcessRef): Promise<boolean> {
  const info = await sys.procs.inspect(ref.pid);
  return isAlive(info) && info.startTime === ref.startTime;
}

async function hostOf(stateDir: string, host: string): Promise<{ state: BoxState; index: number }> {
  const read = await readStateFile(boxLayout(stateDir).stateFile);
  if (read.kind !== 'present') throw new LabError('input', 'the box is not up');
  const index = read.state.hosts.findIndex((h) => h.name === host);
  if (index < 0) throw new LabError('input', `the box has no host ${host}`);
  return { state: read.state, index };
}
