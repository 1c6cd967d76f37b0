import { LabError } from '../common/errors.js';
import type { DockerClient, NetworkInfo } from './docker-client.js';

/**
 * Docker's macvlan and ipvlan drivers refuse a second network on a parent interface with "network
 * dm-891bd21334ae is already using parent interface eth0" (di- for ipvlan), naming the holder by the
 * first 12 hex digits of its network id, not by its name.
 */
export interface ParentHolder {
  /** The id prefix Docker's message gives. */
  id: string;
  parent: string;
  driver: 'macvlan' | 'ipvlan';
}

export function parentHolderOf(message: string): ParentHolder | undefined {
  const m = /network (dm|di)-([0-9a-f]{6,64}) is already using parent interface (\S+)/.exec(
    message,
  );
  if (!m) return undefined;
  return {
    id: m[2] as string,
    parent: m[3] as string,
    driver: m[1] === 'dm' ? 'macvlan' : 'ipvlan',
  };
}

/** The holder's network among those Docker lists; undefined for one only the driver remembers. */
export async function listedHolder(
  docker: DockerClient,
  holder: ParentHolder,
): Promise<NetworkInfo | undefined> {
  return (await docker.listNetworks()).find((n) => n.id.startsWith(holder.id));
}

/**
 * A parent interface held by a network Docker no longer lists. Docker's driver saves a new network
 * before Docker saves it in its own list, so an engine killed in between remembers, after its
 * restart, a network no API call shows or removes (moby/libnetwork#1743). Only the engine's network
 * store going can free the parent: said plainly, with the way to do it, and never done by lab.
 */
export function unlistedHolderError(host: string, holder: ParentHolder, cause?: unknown): LabError {
  return new LabError(
    'host',
    `Docker on ${host} still holds a ${holder.driver} network on ${holder.parent} that it does not list (id ${holder.id}): ` +
      `a Docker Engine that stopped while creating a network leaves it behind, and no Docker command removes it, so no ${holder.driver} network can use ${holder.parent} there`,
    {
      host,
      hint:
        `to free ${holder.parent} on ${host}: stop Docker there, delete network/files/local-kv.db under its data root ` +
        `(/var/lib/docker by default; Docker then forgets the networks it made, recreate any you need), start Docker again, then run lab again`,
    },
    cause === undefined ? undefined : { cause },
  );
}
