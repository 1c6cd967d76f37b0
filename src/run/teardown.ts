import { systemClock, type Clock } from '../common/clock.js';
import { removeNetworkWhenFree } from '../docker/remove-network.js';
import { LABEL } from '../plan/labels.js';
import { SWARM_KIND } from '../plan/swarm-labels.js';
import { NIC_LABEL, NIC_STATE_KIND } from './apply.js';
import { decodeSavedNic, restoreCommands } from '../host/nic-state.js';
import { readLinks } from './preflight.js';
import { runPrivilegedScript } from './script.js';
import type { HostSession } from '../host/session.js';

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
 * had before. Running it again finds nothing and changes nothing.
 */
export async function teardownHost(
  session: HostSession,
  scenario: string,
  clock: Clock = systemClock,
  track?: TeardownTrack,
): Promise<TeardownOutcome> {
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
  const nics: string[] = [];
  track?.found(volumes.map((v) => `NIC ${v.labels[NIC_LABEL.interface] ?? v.name} (to restore)`));
  if (volumes.length > 0) {
    const links = await readLinks(session);
    const commands: string[][] = [];
    for (const v of volumes) {
      const name = v.labels[NIC_LABEL.interface];
      const saved = name ? decodeSavedNic(name, v.labels[NIC_LABEL.state] ?? '') : undefined;
      if (!saved) continue;
      const cmds = restoreCommands(saved, links.get(saved.interface));
      commands.push(...cmds);
      if (cmds.length > 0)
        nics.push(`${saved.interface}: ${cmds.map((c) => c.slice(2).join(' ')).join(', ')}`);
    }
    // On failure the volumes stay, so the next `lab down` tries again.
    if (commands.length > 0) await runPrivilegedScript(session, commands, 'restoring the NICs');
    await Promise.all(volumes.map((v) => session.docker.removeVolume(v.name)));
    for (const v of volumes)
      track?.removed(`NIC ${v.labels[NIC_LABEL.interface] ?? v.name} (to restore)`);
  }
  return {
    host: session.host,
    containers: containers.map((c) => c.name),
    networks: removable.map((n) => n.name),
    nics,
  };
}
