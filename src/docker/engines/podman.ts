/**
 * Podman's Docker-compatible service (`podman system service`), as RHEL 8 and 9 ship it. Tried on
 * podman 4.3.1 with netavark (docs/podman.md). Where its compat API drops what lab reads, the facts come
 * from Podman's own libpod API on the same socket:
 * - network inspect returns `"Options": {}`: the macvlan parent and the bridge's interface name
 *   (podman0, podman1, …) are libpod's `network_interface`;
 * - the default network is `podman` for containers (their inspect, EndpointsConfig) though the compat
 *   API lists it as `bridge`: lab keeps calling it `bridge`, as scenarios do, and translates.
 */
import type { EngineGet, EngineProfile, NetworkFacts, Refusal } from './engine-profile.js';

/** One network as `GET /libpod/networks/json` lists it (podman 4). */
export interface LibpodNetwork {
  name?: string;
  id?: string;
  driver?: string;
  /** The Linux bridge (podman1) of a bridge network, the parent (eth0) of a macvlan one. */
  network_interface?: string;
  options?: Record<string, string> | null;
}

/** Podman's own API, versioned apart from the compat one; 4.0.0 is what podman 4 and 5 both serve. */
const LIBPOD = '/v4.0.0/libpod';

const ACCEPTED: Record<Refusal, string> = {
  'static-ip-on-default-network':
    'Podman gives a container a static address on its default network too (the seed’s Docker refuses --ip there)',
  'second-macvlan-on-parent':
    'Podman creates a second macvlan network on a parent that already carries one (the seed’s Docker refuses it)',
};

/** Docker's bridge name option: lab reads a bridge network's interface from it (docker/bridge.ts). */
const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';

export const PODMAN_ENGINE: EngineProfile = {
  kind: 'podman',
  product: 'Podman',
  bridgeInterfaces: 'podman<N> (podman0 for the default network)',
  containerDns: 'aardvark-dns at the network’s gateway',
  bridgeWhenUsed:
    'Podman’s netavark makes a network’s bridge when the first container joins it (the seed’s Docker makes it with the network)',
  noSwarm:
    'Podman has no swarm mode (its service answers /swarm/init with 503 "Podman does not support service"), so it cannot join the swarm an overlay network needs; the seed’s overlay section needs Docker on every host',
  natChain(table, chain) {
    if (table === 'nat' && chain === 'DOCKER') {
      return {
        chain: 'NETAVARK-HOSTPORT-DNAT',
        followJumps: true,
        note: 'Podman’s netavark keeps the DNAT of published ports in NETAVARK-HOSTPORT-DNAT (the seed’s Docker: DOCKER)',
      };
    }
    if (table === 'nat' && chain === 'POSTROUTING') {
      return {
        chain,
        followJumps: true,
        note: 'Podman’s netavark jumps from POSTROUTING to one NETAVARK-<id> chain per network, which MASQUERADEs',
      };
    }
    return { chain, followJumps: true };
  },
  portProcess(process) {
    return process === 'docker-proxy'
      ? {
          process: 'conmon',
          note: 'Podman’s conmon holds a published port (the seed’s Docker: docker-proxy)',
        }
      : { process };
  },
  accepts: (refusal) => ACCEPTED[refusal],
  // Podman answers a taken network name with HTTP 500 "network already exists", not Docker's 409.
  isNameConflict: (status, message) =>
    status === 409 || (status === 500 && /already (exists|used|in use)/i.test(message)),

  async defaultNetworkName(get) {
    const [compat, own] = await Promise.all([
      get<{ Id?: string }>('/networks/bridge'),
      libpodNetworks(get),
    ]);
    const found = (own ?? []).find((n) => compat?.Id !== undefined && n.id === compat.Id);
    return found?.name ?? 'podman';
  },

  async completeNetworks(networks, get) {
    if (networks.length === 0) return networks;
    const own = (await libpodNetworks(get)) ?? [];
    const byId = new Map(own.map((n) => [n.id ?? '', n]));
    return networks.map((n) => completeNetwork(n, byId.get(n.id)));
  },

  completeContainer(container, defaultNetwork) {
    if (defaultNetwork === 'bridge' || !(defaultNetwork in container.networks)) return container;
    const networks = Object.fromEntries(
      Object.entries(container.networks).map(([name, n]) => [
        name === defaultNetwork ? 'bridge' : name,
        n,
      ]),
    );
    return { ...container, networks };
  },
};

function libpodNetworks(get: EngineGet): Promise<LibpodNetwork[] | undefined> {
  return get<LibpodNetwork[]>(`${LIBPOD}/networks/json`, { unversioned: true });
}

/** The compat view of a network with libpod's interface: the bridge's name or the macvlan parent. */
export function completeNetwork<N extends NetworkFacts>(n: N, own: LibpodNetwork | undefined): N {
  const iface = own?.network_interface;
  if (!own || !iface) return n;
  const options = { ...(own.options ?? {}), ...n.options };
  if (n.driver === 'bridge') options[BRIDGE_NAME_OPTION] ??= iface;
  if (n.driver === 'macvlan' || n.driver === 'ipvlan') options.parent ??= iface;
  return { ...n, options };
}
