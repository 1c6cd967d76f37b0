/**
 * The listening ports of a host's running containers, read by ONE command on the host instead of one
 * `docker exec cat` per container (each exec costs the host a process and the Engine three requests).
 * A container's /proc/net is its network namespace's, and so is /proc/PID/net of its main process
 * (the engine's State.Pid): one `grep -H '' FILES…` prints them all, each line behind its file name.
 *
 * A PID is trusted only when it is verifiably the container's: its /proc/PID/cgroup, read in the same
 * command AFTER its sockets, names the container's full id (Docker cgroupfs `/docker/ID` or a
 * cgroup-parent `/P/ID`, systemd `docker-ID.scope`, Podman `libpod-ID.scope`). An engine in another
 * PID namespace (rootless with its own, Docker-in-Docker, an engine on another machine), a PID gone
 * or reused, hidepid, or no permission: that container is not in the answer, and the caller reads it
 * the slow way. Never a wrong answer, only a slower one. Nothing is created; the read is read-only.
 */
import type { HostShell } from '../ssh/host-shell.js';
import { parseProcNet, PROC_NET_FILES } from './proc-net.js';
import type { ListeningPort } from './topology.js';

/** A running container as this read needs it: its full id and its main process on the host. */
export interface ContainerPid {
  id: string;
  pid: number;
}

const FULL_ID = /^[0-9a-f]{64}$/;

/** The containers whose PID can be asked about: a full id, a PID, no PID shared with another. */
export function askable(containers: readonly ContainerPid[]): ContainerPid[] {
  const ok = containers.filter((c) => FULL_ID.test(c.id) && Number.isInteger(c.pid) && c.pid > 0);
  const seen = new Map<number, number>();
  for (const c of ok) seen.set(c.pid, (seen.get(c.pid) ?? 0) + 1);
  return ok.filter((c) => seen.get(c.pid) === 1);
}

/** `grep -H '' /proc/PID/net/tcp … /proc/PID/cgroup …`: one process, every line named by its file. */
export function hostReadArgv(containers: readonly ContainerPid[]): string[] {
  return [
    'grep',
    '-H',
    '',
    ...containers.flatMap((c) => [
      ...PROC_NET_FILES.map((f) => f.replace(/^\/proc\//, `/proc/${String(c.pid)}/`)),
      `/proc/${String(c.pid)}/cgroup`,
    ]),
  ];
}

const FILE = /^\/proc\/(\d+)\/(net\/(?:tcp6?|udp6?)|cgroup)$/;

/**
 * `grep -H` output → the listening ports of each container whose cgroup names it, by id. A line
 * whose file name is not one asked for is ignored (a file name never holds a colon).
 */
export function parseHostRead(
  stdout: string,
  containers: readonly ContainerPid[],
): Map<string, ListeningPort[]> {
  const net = new Map<number, string[]>();
  const cgroup = new Map<number, string[]>();
  for (const line of stdout.split('\n')) {
    const colon = line.indexOf(':');
    const m = colon > 0 ? FILE.exec(line.slice(0, colon)) : null;
    if (!m) continue;
    const pid = Number(m[1]);
    const into = m[2] === 'cgroup' ? cgroup : net;
    // Sockets read after the cgroup belong to no verified read: only the order asked counts.
    if (into === net && cgroup.has(pid)) continue;
    into.set(pid, [...(into.get(pid) ?? []), line.slice(colon + 1)]);
  }
  const found = new Map<string, ListeningPort[]>();
  for (const c of containers) {
    const text = net.get(c.pid)?.join('\n') ?? '';
    if (!text.includes('local_address') || !namesContainer(cgroup.get(c.pid) ?? [], c.id)) continue;
    found.set(c.id, parseProcNet(text));
  }
  return found;
}

/**
 * True when a line of /proc/PID/cgroup (`N:controllers:/path`) has a path component that is the
 * container's own cgroup: `ID`, `docker-ID.scope` or `libpod-ID.scope`. Not Podman's
 * `libpod-conmon-ID.scope`: conmon lives in the host's network namespace, not the container's.
 */
export function namesContainer(lines: readonly string[], id: string): boolean {
  const own = new Set([id, `docker-${id}.scope`, `libpod-${id}.scope`, `libpod-${id}`]);
  return lines.some((line) => {
    const path = line.split(':').slice(2).join(':');
    return path.split('/').some((part) => own.has(part));
  });
}

/**
 * Reads them on the host: the ports of each container the host could vouch for, by id. A command
 * that could not run at all, or timed out, vouches for none (the caller reads each the slow way);
 * a failed read of one file (grep's exit 2) loses only the containers it concerned.
 */
export async function readListeningOnHost(
  shell: HostShell,
  containers: readonly ContainerPid[],
  timeoutMs: number,
): Promise<Map<string, ListeningPort[]>> {
  const asked = askable(containers);
  if (asked.length === 0) return new Map();
  try {
    // Root sees every process's /proc (hidepid, another user's engine); sudo only where configured.
    const r = await shell.exec(hostReadArgv(asked), { become: true, timeoutMs });
    if (r.exitCode === null || r.exitCode === 1) return new Map();
    return parseHostRead(r.stdout, asked);
  } catch {
    // The per-container reads that follow meet the same trouble and name it, container by container.
    return new Map();
  }
}
