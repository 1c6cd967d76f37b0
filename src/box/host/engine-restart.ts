import { rm } from 'node:fs/promises';
import { LabError } from '../../common/errors.js';
import { boxLayout, IN_HOST, machineSideSocket } from '../layout.js';
import { checkPrerequisites } from '../prerequisites.js';
import { readStateFile, writeStateFile, type BoxState } from '../state.js';
import { ensureDaemonCgroup, trackingHierarchy } from '../system/cgroups.js';
import { isAlive } from '../system/processes.js';
import type { BoxSystem } from '../system/system.js';
import { prepareEngines } from '../engine/prepare.js';
import { startDockerd } from './host-daemons.js';

/**
 * Fault injection for the fault suite and by hand: kills one host's dockerd (SIGKILL, as a crash
 * would: its socket and pidfile stay behind), its containers' processes living on or not as Docker's
 * own shims decide.
 */
export async function killEngine(sys: BoxSystem, stateDir: string, host: string): Promise<void> {
  const { state, index } = await hostOf(stateDir, host);
  const ref = state.hosts[index]?.dockerd;
  if (ref && isAlive(await sys.procs.inspect(ref.pid))) sys.procs.signal(ref.pid, 'SIGKILL');
}

/** Starts a host's dockerd again after killEngine, and records it so `lab box down` stops it. */
export async function startEngine(sys: BoxSystem, stateDir: string, host: string): Promise<void> {
  const { state, index } = await hostOf(stateDir, host);
  const h = state.hosts[index];
  if (!h) return;
  if (isAlive(await sys.procs.inspect(h.dockerd.pid))) return;
  // A killed dockerd not yet reaped stays in /proc as a zombie, and a new dockerd would take its
  // pidfile for a running one and refuse to start: that pidfile is stale, so it goes.
  await rm(`/proc/${h.anchor.pid}/root${IN_HOST.dockerPidFile}`, { force: true });
  const programs = await checkPrerequisites(sys.isRoot, sys.findProgram);
  const cgroupProcsFile = await ensureDaemonCgroup(
    await trackingHierarchy(sys.cgroupRoot),
    h.cgroup,
  );
  const ctx = {
    host: h.name,
    address: h.address,
    anchor: h.anchor,
    cgroupProcsFile,
    layout: boxLayout(stateDir).host(h.name),
  };
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

async function hostOf(stateDir: string, host: string): Promise<{ state: BoxState; index: number }> {
  const read = await readStateFile(boxLayout(stateDir).stateFile);
  if (read.kind !== 'present') throw new LabError('input', 'the box is not up');
  const index = read.state.hosts.findIndex((h) => h.name === host);
  if (index < 0) throw new LabError('input', `the box has no host ${host}`);
  return { state: read.state, index };
}
