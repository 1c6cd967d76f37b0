import { systemClock, type Clock } from '../common/clock.js';
import { removeNetworkWhenFree } from '../docker/remove-network.js';
import { LABEL } from '../plan/labels.js';
import { SWARM_KIND } from '../plan/swarm-labels.js';
import { NIC_LABEL, NIC_STATE_KIND } from './apply.js';
import {
  decodeSavedNic,
  NIC_STATE_DIR,
  nicStateFile,
  parseNicStateFile,
  readLinks,
  restoreCommands,
  type LinkState,
  type SavedNicState,
} from '../host/nic-state.js';
import { asLabError, LabError, tail } from '../common/errors.js';
import { isDockerNotRunning } from '../docker/engine-down.js';
import { runPrivilegedScript } from './script.js';
import { unlistedParentHolders } from './parent-held.js';
import { unlistedHolderError, type ParentHolder } from '../docker/parent-in-use.js';
import { engineFoundDown, type HostSession } from '../host/session.js';

export interface TeardownOutcome {
  host: string;
  containers: string[];
  networks: string[];
  /** NICs put back as they were ("eth0: promisc off"). */
  nics: string[];
  /** What leaving the scenario's swarm took here ("left the swarm", "network docker_gwbridge"). */
  swarm?: string[];
}

/** Told what teardown found and what it removed so far: what is left when it is cut short. */
export interface TeardownTrack {
  found(what: string[]): void;
  removed(what: string): void;
}

/**
 * Removes from one host exactly what lab made for the scenario, found by labels (so a changed
 * scenario file or a crashed run does not matter), then restores each NIC lab changed to the state it
 * had before, read from the host's NIC state file (no Docker needed: with the engine dead the NICs are
 * still put back, and the Docker objects wait for a later `lab down`). Running it again finds
 * nothing and changes nothing.
 */
export async function teardownHost(
  session: HostSession,
  scenario: string,
  clock: Clock = systemClock,
  track?: TeardownTrack,
): Promise<TeardownOutcome> {
  const { saved, engineRestarted } = await readSavedNics(session, scenario);
  track?.found(saved.map((s) => nicItem(s.interface)));
  let removed: Awaited<ReturnType<typeof removeDockerObjects>> | undefined;
  let dockerFailed: unknown;
  let held: ParentHolder[] = [];
  try {
    removed = await removeDockerObjects(session, scenario, clock, track);
    // An engine restarted since lab changed the NICs may have died creating a network on one.
    if (engineRestarted && saved.length > 0)
      held = await unlistedParentHolders(
        session,
        scenario,
        saved.map((s) => s.interface),
      );
  } catch (err) {
    // An engine that died under the removals is said plainly, not as the call that failed.
    dockerFailed = (await engineFoundDown(session, err)) ?? err;
  }
  const legacy = removed?.legacy ?? [];
  const fromFile = new Set(saved.map((s) => s.interface));
  const all = [
    ...saved,
    ...legacy.flatMap((v) => (fromFile.has(v.saved.interface) ? [] : [v.saved])),
  ];
  const nics = await restoreNics(session, scenario, all, saved.length > 0);
  try {
    await Promise.all(legacy.map((v) => session.docker.removeVolume(v.volume)));
  } catch (err) {
    dockerFailed ??= (await engineFoundDown(session, err)) ?? err;
  }
  for (const s of all) track?.removed(nicItem(s.interface));
  if (dockerFailed !== undefined) throw engineLeftItsObjects(dockerFailed, session.host, nics);
  if (held.length > 0) throw parentsStillHeld(session.host, held, removed, nics);
  return {
    host: session.host,
    containers: removed?.containers ?? [],
    networks: removed?.networks ?? [],
    nics,
  };
}

function nicItem(iface: string): string {
  return `NIC ${iface} (to restore)`;
}

/** What `lab down` did, then the parents a crashed engine still holds: the host is not clean. */
function parentsStillHeld(
  host: string,
  held: ParentHolder[],
  removed: { containers: string[]; networks: string[] } | undefined,
  nics: string[],
): LabError {
  const did = [
    ...(removed?.containers ?? []).map((c) => `container ${c}`),
    ...(removed?.networks ?? []).map((n) => `network ${n}`),
  ];
  const done = [
    ...(did.length > 0 ? [`removed ${did.join(', ')}`] : []),
    ...(nics.length > 0 ? [`restored NIC ${nics.join(', NIC ')}`] : []),
  ];
  const first = unlistedHolderError(host, held[0] as ParentHolder);
  const more = held.slice(1).map((h) => ` (and on ${h.parent}, id ${h.id})`);
  const prefix = done.length > 0 ? `${done.join('; ')}; but ` : '';
  return new LabError('host', `${prefix}${first.message}${more.join('')}`, first.context);
}

/** The scenario's containers and networks (and NIC states of older lab versions), by labels. */
async function removeDockerObjects(
  session: HostSession,
  scenario: string,
  clock: Clock,
  track: TeardownTrack | undefined,
): Promise<{
  containers: string[];
  networks: string[];
  legacy: { volume: string; saved: SavedNicState }[];
}> {
  const owned = { [LABEL.managed]: 'true', [LABEL.scenario]: scenario };
  const containers = await session.docker.listContainers({ labels: owned });
  track?.found(containers.map((c) => `container ${c.name}`));
  await Promise.all(
    containers.map(async (c) => {
      await session.docker.removeContainer(c.id);
      track?.removed(`container ${c.name}`);
    }),
  );

  // docker_gwbridge made for a swarm goes only once the host has left the swarm (swarm/teardown.ts).
  const networks = (await session.docker.listNetworks({ labels: owned })).filter(
    (n) => n.labels[LABEL.kind] !== SWARM_KIND,
  );
  // A swarm-scoped (overlay) network is removed on a manager; workers only see it while in use.
  const onManager = networks.some((n) => n.swarmScoped)
    ? (await session.docker.info()).swarmNode?.isManager === true
    : false;
  const removable = networks.filter((n) => !n.swarmScoped || onManager);
  track?.found(removable.map((n) => `network ${n.name}`));
  await Promise.all(
    // An overlay network stays "in use" a moment after its last container (the swarm has to hear
    // of it); local networks go at once.
    removable.map(async (n) => {
      await removeNetworkWhenFree(session.docker, n.id, clock, n.swarmScoped ? 20_000 : 0);
      track?.removed(`network ${n.name}`);
    }),
  );

  const volumes = await session.docker.listVolumes({
    labels: { ...owned, [LABEL.kind]: NIC_STATE_KIND },
  });
  const legacy = volumes.flatMap((v) => {
    const name = v.labels[NIC_LABEL.interface];
    const saved = name ? decodeSavedNic(name, v.labels[NIC_LABEL.state] ?? '') : undefined;
    return saved ? [{ volume: v.name, saved }] : [];
  });
  return {
    containers: containers.map((c) => c.name),
    networks: removable.map((n) => n.name),
    legacy,
  };
}

/**
 * The NIC states saved for the scenario on the host (none when there is no state file), and whether
 * the Docker Engine started after the file was last written (its pidfile is newer, or not where
 * dockerd keeps it by default): the one case where a create cut short may hold a NIC.
 */
async function readSavedNics(
  session: HostSession,
  scenario: string,
): Promise<{ saved: SavedNicState[]; engineRestarted: boolean }> {
  const file = nicStateFile(scenario);
  const script = '[ ! -e "$1" ] || { cat "$1"; [ -e "$2" ] && [ ! "$2" -nt "$1" ] || echo "$3"; }';
  const r = await session.shell.exec(['sh', '-c', script, 'sh', file, ENGINE_PIDFILE, RESTARTED], {
    become: true,
  });
  if (r.exitCode !== 0) {
    throw new LabError('remote', `could not read lab's NIC state file on ${session.host}`, {
      host: session.host,
      command: `cat ${file}`,
      exitCode: r.exitCode,
      stderrTail: tail(r.stderr),
      durationMs: r.durationMs,
    });
  }
  return {
    saved: parseNicStateFile(r.stdout),
    engineRestarted: r.stdout.split('\n').includes(RESTARTED),
  };
}

/** dockerd's default pidfile, written as it starts. */
const ENGINE_PIDFILE = '/var/run/docker.pid';
const RESTARTED = 'engine-restarted-since';

/**
 * Puts each NIC back as saved and removes the state file, in one script; on failure the file stays,
 * so the next `lab down` tries again. Says what it changed ("eth0: promisc off").
 */
async function restoreNics(
  session: HostSession,
  scenario: string,
  saved: readonly SavedNicState[],
  hasFile: boolean,
): Promise<string[]> {
  if (saved.length === 0 && !hasFile) return [];
  const links = saved.length > 0 ? await readLinks(session) : new Map<string, LinkState>();
  const commands: string[][] = [];
  const nics: string[] = [];
  for (const s of saved) {
    const cmds = restoreCommands(s, links.get(s.interface));
    commands.push(...cmds);
    if (cmds.length > 0)
      nics.push(`${s.interface}: ${cmds.map((c) => c.slice(2).join(' ')).join(', ')}`);
  }
  if (hasFile) {
    commands.push(['rm', '-f', nicStateFile(scenario)]);
    // The directory goes with its last file; another scenario's file (or a lock) keeps it.
    commands.push(['sh', '-c', 'rmdir "$1" 2>/dev/null || true', 'sh', NIC_STATE_DIR]);
  }
  if (commands.length > 0) await runPrivilegedScript(session, commands, 'restoring the NICs');
  return nics;
}

/**
 * The Docker half failed after the NICs were put back: the error says both, plainly when the engine
 * is simply not running, and that a later `lab down` removes the containers and networks.
 */
function engineLeftItsObjects(err: unknown, host: string, nics: string[]): LabError {
  const restored = nics.length > 0 ? `restored NIC ${nics.join(', NIC ')}; ` : '';
  if (isDockerNotRunning(err)) {
    return new LabError(
      'host',
      `${err.message}: ${restored}its containers and networks of the scenario, if any, stay until lab down runs with Docker up`,
      { host, hint: `start Docker on ${host}, then run the same lab down again` },
      { cause: err },
    );
  }
  const error = asLabError(err, host);
  if (!restored) return error;
  return new LabError(error.kind, `${error.message} (${restored.slice(0, -2)})`, error.context, {
    cause: err,
  });
}
