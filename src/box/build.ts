import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { buildBusyboxImageTar } from './image/busybox-image.js';
import { ensureDaemonCgroup, trackingHierarchy } from './system/cgroups.js';
import { addRules, switchRules } from './network/firewall.js';
import { bringUpHost } from './host/host-up.js';
import { renderInventory } from './inventory-text.js';
import { generateKey } from './host/keys.js';
import { renderKnownHosts } from './host/known-hosts.js';
import { boxLayout } from './layout.js';
import { WATCHED_PATHS, writeMarker } from './marker.js';
import { createNetwork, pathExists } from './network/network.js';
import type { Programs } from './prerequisites.js';
import { BOX_IMAGE } from './scenario-vars.js';
import { quiet, settleAll } from './system/settle.js';
import { writeStateFile, type BoxHostState, type BoxState } from './state.js';
import type { BoxSystem } from './system/system.js';
import { planBox, VLAN1_STAND_IN } from './network/topology.js';
import { BRIDGES } from './network/names.js';
import { prepareEngines } from './engine/prepare.js';
import type { EngineChoice } from './engine/spec.js';

/**
 * Builds a box from nothing (the caller has cleaned up first). Independent work runs in parallel:
 * keys, the image tar and the network at once, then every host's anchor, sshd and dockerd; each
 * host waits only for what it needs.
 */
export async function createBox(
  sys: BoxSystem,
  programs: Programs,
  stateDir: string,
  hostCount: number,
  behind: Readonly<Record<string, string>> = {},
  engines: EngineChoice = {},
  harden: readonly string[] = [],
): Promise<BoxState> {
  const plan = planBox(hostCount, behind);
  const layout = boxLayout(stateDir);
  const startedAt = new Date(sys.clock.now()).toISOString();

  await makeStateDir(stateDir, layout, plan, startedAt);
  const hierarchy = await trackingHierarchy(sys.cgroupRoot);

  const keys = quiet(generateKeys(sys, programs, layout, plan));
  const hostEngines = quiet(
    prepareEngines(
      sys,
      programs,
      stateDir,
      plan.hosts.map((host) => host.name),
      engines,
    ),
  );
  const image = quiet(buildBusyboxImageTar(sys.runner, programs.busybox, layout.imageTar));
  const firewallRules = switchRules(plan.bridges.map((bridge) => bridge.name));
  const network = quiet(makeSwitches(sys, programs, plan, hierarchy, firewallRules));

  const [hosts] = await settleAll<
    [BoxHostState[], string[], void, string[], Awaited<typeof hostEngines>]
  >([
    settleAll<BoxHostState[]>(
      plan.hosts.map(async (host, i) => {
        const cgroupFiles = await network;
        const hostKey = (await keys)[i]!;
        const engine = (await hostEngines)[host.name]!;
        return bringUpHost(
          sys,
          programs,
          stateDir,
          host,
          cgroupFiles[i]!,
          hostKey,
          image,
          engine,
          harden.includes(host.name),
        );
      }),
    ),
    keys,
    image,
    network,
    hostEngines,
  ]);

  const createdAt = new Date(sys.clock.now()).toISOString();
  await writeClientFiles(layout, hosts, createdAt);
  const state: BoxState = {
    version: 1,
    createdAt,
    stateDir,
    inventory: layout.inventory,
    knownHosts: layout.knownHosts,
    clientKey: layout.clientKey,
    image: BOX_IMAGE,
    bridges: plan.bridges,
    firewallRules,
    hosts,
    standIns: [{ interface: 'eth0.1', bridge: BRIDGES.vlan1, description: VLAN1_STAND_IN }],
  };
  await writeStateFile(layout.stateFile, state);
  return state;
}

/** Each host's daemon cgroup (its files, in host order), then the switches and their firewall rules. */
async function makeSwitches(
  sys: BoxSystem,
  programs: Programs,
  plan: ReturnType<typeof planBox>,
  hierarchy: Awaited<ReturnType<typeof trackingHierarchy>>,
  firewallRules: ReturnType<typeof switchRules>,
): Promise<string[]> {
  const cgroupFiles = await Promise.all(
    plan.hosts.map((host) => ensureDaemonCgroup(hierarchy, host.cgroup)),
  );
  await createNetwork(sys.runner, programs.ip, plan);
  await addRules(sys.runner, programs.iptables, firewallRules);
  return cgroupFiles;
}

/** The state directory, its marker (with which watched paths were there before) and each host's. */
async function makeStateDir(
  stateDir: string,
  layout: ReturnType<typeof boxLayout>,
  plan: ReturnType<typeof planBox>,
  startedAt: string,
): Promise<void> {
  const preexisting = Object.fromEntries(
    await Promise.all(WATCHED_PATHS.map(async (path) => [path, await pathExists(path)] as const)),
  );
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await chmod(stateDir, 0o700);
  await writeMarker(layout.marker, { startedAt, preexisting });
  await Promise.all(
    plan.hosts.map((host) => mkdir(layout.host(host.name).dir, { recursive: true, mode: 0o700 })),
  );
}

/** The client key (authorized on every host) and each host's key; resolves to the hosts' keys. */
async function generateKeys(
  sys: BoxSystem,
  programs: Programs,
  layout: ReturnType<typeof boxLayout>,
  plan: ReturnType<typeof planBox>,
): Promise<string[]> {
  const [clientKey, ...hostKeys] = await Promise.all([
    generateKey(sys.runner, programs['ssh-keygen'], layout.clientKey, 'lab-box-client'),
    ...plan.hosts.map((host) =>
      generateKey(
        sys.runner,
        programs['ssh-keygen'],
        layout.host(host.name).hostKey,
        `lab-box-${host.name}`,
      ),
    ),
  ]);
  await writeFile(layout.authorizedKeys, `${clientKey}\n`, { mode: 0o600 });
  return hostKeys;
}

/** What a client of the box reads: its known_hosts, then its inventory. */
async function writeClientFiles(
  layout: ReturnType<typeof boxLayout>,
  hosts: BoxHostState[],
  createdAt: string,
): Promise<void> {
  await writeFile(
    layout.knownHosts,
    renderKnownHosts(hosts.map((host) => ({ ...host, publicKey: host.hostKeyPublic }))),
    {
      mode: 0o600,
    },
  );
  await writeFile(
    layout.inventory,
    renderInventory({
      createdAt,
      hosts,
      clientKey: layout.clientKey,
      knownHosts: layout.knownHosts,
    }),
    { mode: 0o600 },
  );
}
