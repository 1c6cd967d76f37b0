import { probeSshBannerInHost } from './host/ssh-banner.js';
import { access } from 'node:fs/promises';
import { LabError } from '../common/errors.js';
import { HARDENED_TEXT } from './host/harden.js';
import { hostProblems } from './host/host-health.js';
import { engineMarker } from './engine/podman.js';
import { describeEngine } from './engine/spec.js';
import { boxLayout } from './layout.js';
import { describeLeftovers, findLeftovers } from './leftovers.js';
import { anchorTag } from './network/names.js';
import { netnsPath } from './network/network.js';
import { observeMachine } from './observe.js';
import { isPlausiblyOurs } from './system/processes.js';
import type { ProcessRef } from './state.js';
import { readStateFile, type BoxHostState, type BoxState } from './state.js';
import type { BoxSystem } from './system/system.js';

export interface InterfaceStatus {
  name: string;
  /** Admin state: UP or DOWN; "missing" when the host has no such interface. */
  state: string;
  addresses: string[];
  bridge: string;
  standIn?: string;
}

export interface DaemonStatus {
  pid: number;
  alive: boolean;
}

export interface HostStatus {
  name: string;
  address: string;
  netns: string;
  netnsPresent: boolean;
  anchor: DaemonStatus;
  sshd: DaemonStatus & { answering: boolean };
  dockerd: DaemonStatus & {
    answering: boolean;
    version?: string;
    apiVersion?: string;
    id?: string;
    name?: string;
  };
  /** The engine asked for with `lab box up --engine` ("docker 26.1"), or "machine" (its dockerd). */
  engine: string;
  image: { ref: string; present: boolean };
  dockerSocket: string;
  nsenter: string[];
  interfaces: InterfaceStatus[];
  /** `lab box up --harden`: what is hardened on this host (host/harden.ts); absent on a default host. */
  hardened?: string;
  problems: string[];
  healthy: boolean;
}

export type BoxStatus =
  | { up: false; stateDir: string; reason: string; leftovers: string[] }
  | {
      up: true;
      stateDir: string;
      createdAt: string;
      healthy: boolean;
      inventory: string;
      knownHosts: string;
      clientKey: string;
      hosts: HostStatus[];
      standIns: BoxState['standIns'];
    };

export interface StatusTools {
  ip: string;
  iptables: string;
}

/** What is up, what is alive and what answers. Read-only: status never changes anything. */
export async function gatherStatus(
  sys: BoxSystem,
  stateDir: string,
  tools: StatusTools,
): Promise<BoxStatus> {
  const read = await readStateFile(boxLayout(stateDir).stateFile);
  if (read.kind !== 'present') {
    const leftovers = describeLeftovers(
      findLeftovers(
        await observeMachine({ runner: sys.runner, ...tools, cgroupRoot: sys.cgroupRoot }),
      ),
    );
    return {
      up: false,
      stateDir,
      reason: read.kind === 'absent' ? 'no box' : `the box state is stale (${read.reason})`,
      leftovers,
    };
  }
  const state = read.state;
  const hosts = await Promise.all(
    state.hosts.map((host) => hostStatus(sys, state, host, tools.ip)),
  );
  return {
    up: true,
    stateDir,
    createdAt: state.createdAt,
    healthy: hosts.every((host) => host.healthy),
    inventory: state.inventory,
    knownHosts: state.knownHosts,
    clientKey: state.clientKey,
    hosts,
    standIns: state.standIns,
  };
}

async function hostStatus(
  sys: BoxSystem,
  state: BoxState,
  host: BoxHostState,
  ip: string,
): Promise<HostStatus> {
  const layout = boxLayout(state.stateDir).host(host.name);
  const alive = async (ref: ProcessRef, marker: string) =>
    isPlausiblyOurs(await sys.procs.inspect(ref.pid), ref, marker);
  const [netnsPresent, anchorAlive, sshdAlive, dockerdAlive] = await Promise.all([
    access(netnsPath(host.netns)).then(
      () => true,
      () => false,
    ),
    alive(host.anchor, anchorTag(host.name)),
    alive(host.sshd, layout.sshdConfig),
    alive(host.dockerd, engineMarker(layout, host.engine)),
  ]);
  const [sshdAnswering, interfaces, docker] = await Promise.all([
    !sshdAlive
      ? Promise.resolve(false)
      : host.behind
        ? probeSshBannerInHost(sys.runner, host.nsenter, host.address, 2_000)
        : sys.sshProbe(host.address, 22, 2_000),
    netnsPresent ? interfaceStatus(sys, ip, host) : Promise.resolve(missingInterfaces(host)),
    dockerdAlive && anchorAlive
      ? dockerStatus(sys, host.dockerSocket, state.image)
      : Promise.resolve(undefined),
  ]);
  const problems = hostProblems({
    netnsPresent,
    anchorAlive,
    sshdAlive,
    sshdAnswering,
    dockerdAlive,
    dockerdAnswering: docker !== undefined,
    imagePresent: docker?.imagePresent ?? false,
    eth0: interfaces.find((nic) => nic.name === 'eth0')?.state ?? 'missing',
  });
  return {
    name: host.name,
    address: host.address,
    netns: host.netns,
    netnsPresent,
    anchor: { pid: host.anchor.pid, alive: anchorAlive },
    sshd: { pid: host.sshd.pid, alive: sshdAlive, answering: sshdAnswering },
    dockerd: {
      pid: host.dockerd.pid,
      alive: dockerdAlive,
      answering: docker !== undefined,
      ...(docker && {
        version: docker.version,
        apiVersion: docker.apiVersion,
        id: docker.id,
        name: docker.name,
      }),
    },
    engine: host.engine ? describeEngine(host.engine) : 'machine',
    image: { ref: state.image, present: docker?.imagePresent ?? false },
    dockerSocket: host.dockerSocket,
    nsenter: host.nsenter,
    interfaces,
    ...(host.hardened && { hardened: HARDENED_TEXT }),
    problems,
    healthy: problems.length === 0,
  };
}

async function dockerStatus(sys: BoxSystem, socket: string, image: string) {
  if (!(await sys.engine.ping(socket))) return undefined;
  try {
    const [version, info, imagePresent] = await Promise.all([
      sys.engine.version(socket),
      sys.engine.info(socket),
      sys.engine.imageExists(socket, image),
    ]);
    return {
      version: version.version,
      apiVersion: version.apiVersion,
      id: info.id,
      name: info.name,
      imagePresent,
    };
  } catch {
    return undefined; // answered ping, then failed: reported as not answering
  }
}

interface IpAddrJson {
  ifname: string;
  flags?: string[];
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

/** Parses `ip -j addr show` into the host's planned interfaces, in plan order. */
export function parseInterfaces(host: BoxHostState, ipJson: string): InterfaceStatus[] {
  const links = JSON.parse(ipJson) as IpAddrJson[];
  return host.interfaces.map((nic) => {
    const link = links.find((candidate) => candidate.ifname === nic.name);
    return {
      name: nic.name,
      state: link ? (link.flags?.includes('UP') ? 'UP' : 'DOWN') : 'missing',
      addresses: (link?.addr_info ?? [])
        .filter((addr) => addr.family === 'inet')
        .map((addr) => `${addr.local}/${addr.prefixlen}`),
      bridge: nic.bridge,
      ...(nic.standIn ? { standIn: nic.standIn } : {}),
    };
  });
}

function missingInterfaces(host: BoxHostState): InterfaceStatus[] {
  return parseInterfaces(host, '[]');
}

async function interfaceStatus(
  sys: BoxSystem,
  ip: string,
  host: BoxHostState,
): Promise<InterfaceStatus[]> {
  const result = await sys.runner.run([ip, '-n', host.netns, '-j', 'addr', 'show']);
  if (result.exitCode !== 0) return missingInterfaces(host);
  try {
    return parseInterfaces(host, result.stdout);
  } catch (err) {
    throw new LabError(
      'remote',
      `cannot read ${host.name}'s interfaces`,
      { host: host.name },
      { cause: err },
    );
  }
}
