/**
 * Podman's Docker-compatible service (`podman system service`), as RHEL 8 and 9 ship it. Tried on
 * podman 4.3.1 with netavark (docs/podman.md). Where its compat API drops what lab reads, the facts come
 * from Podman's own libpod API on the same socket:
 * - network inspect returns `"Options": {}`: the macvlan parent and the bridge's interface name
 *   (podman0, podman1, …) are libpod's `network_interface`;
 * - the default network is `podman` for containers (their inspect, EndpointsConfig) though the compat
 *   API lists it as `bridge`: lab keeps calling it `bridge`, as scenarios do, and translates.
 */
import type {
  EngineGet,
  EngineProfile,
  NetworkFacts,
  Refusal,
  UnresolvedName,
} from './engine-profile.js';

/** One network as `GET /libpod/networks/json` lists it (podman 4). */
export interface LibpodNetwork {
  name?: string;
  id?: string;
  driver?: string;
  /** The Linux bridge (podman1) of a bridge network, the parent (eth0) of a macvlan one. */
  network_interface?: string;
  /** Whether aardvark-dns answers on the network: false for the default network and macvlan ones. */
  dns_enabled?: boolean;
  options?: Record<string, string> | null;
  labels?: Record<string, string> | null;
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
  // netavark forwards between bridge networks unless both carry `isolate` (podman-network-create(1));
  // Docker drops traffic between any two of its bridges, which the seed's 二.3 shows.
  networkOptions: (driver) => (driver === 'bridge' ? { isolate: 'true' } : {}),
  unresolvedName,
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

/** `bridge`, as lab calls Podman's default network, named for a reader. */
const shown = (network: string): string =>
  network === 'bridge' ? 'bridge (Podman’s default network, podman)' : network;

/**
 * Podman's name server is aardvark-dns, at each network's gateway and only where the network has
 * dns_enabled (never the default network). A container's resolv.conf lists its networks' gateways
 * (in no fixed order) and the search domain dns.podman; nslookup and ping ask `NAME.dns.podman`
 * of the first, which answers it only for containers on its own network, and its NXDOMAIN ends the
 * lookup. Docker's embedded DNS (127.0.0.11) answers for every network of the asker. Seen on the box,
 * podman 4.3.1 with aardvark-dns 1.4 (docs/podman.md).
 */
function unresolvedName(q: UnresolvedName): string | undefined {
  const dns = new Map(q.networks.map((n) => [n.name, n.dns === true]));
  const off = (nets: string[]) => nets.every((n) => dns.get(n) !== true);
  const on = (nets: string[]) =>
    `${nets.map(shown).join(', ')}, the network${nets.length === 1 ? '' : 's'}`;
  const { asker, target } = q;
  if (target && off(target.networks)) {
    return `Podman runs no name server on ${on(target.networks)} ${target.container} is on (dns_enabled false), so no aardvark-dns knows its name`;
  }
  if (off(asker.networks)) {
    return `Podman runs no name server on ${on(asker.networks)} ${asker.container} is on (dns_enabled false)`;
  }
  const first = asker.nameservers[0];
  const via = q.networks.find((n) => n.gateway === first && n.dns === true);
  if (!via || !target || target.networks.includes(via.name)) return undefined;
  return `${asker.container} asks aardvark-dns at ${first} (the gateway of ${via.name}, first of its name servers) for ${target.container}.dns.podman; there Podman answers only for containers on ${via.name}, ${target.container} is on ${target.networks.map(shown).join(', ')}, and the NXDOMAIN ends the lookup (the seed’s Docker answers at 127.0.0.11 for every network of the asker)`;
}

/**
 * netavark's `isolate` option: `true` (apart from other isolated bridges) or `strict` (from all).
 * Lab makes every bridge with it (networkOptions), but podman 4.3.1's libpod API left the options
 * out of those networks on the box (their config file has `isolate`, and netavark isolates them),
 * while it listed them for a network made by curl: a network lab made (its `lab.managed` label,
 * plan/labels.ts) counts as isolated too.
 */
const isolated = (own: LibpodNetwork): boolean =>
  ['true', 'strict'].includes(own.options?.['isolate'] ?? '') ||
  own.labels?.['lab.managed'] === 'true';

/**
 * netavark (1.4) drops traffic between two bridges only when both carry `isolate`; Docker drops it
 * between any two of its bridges. Lab creates its bridges with it (networkOptions); Podman's default
 * network has none and cannot be recreated, so on a Podman host it reaches every bridge and back.
 */
function notIsolated(network: string): string {
  return `${shown(network)} has no isolate option, and Podman’s netavark forwards between a bridge without it and the host’s other bridges (the seed’s Docker isolates every two bridges)`;
}

/** The compat view of a network with libpod's interface: the bridge's name or the macvlan parent. */
export function completeNetwork<N extends NetworkFacts>(n: N, own: LibpodNetwork | undefined): N {
  if (!own) return n;
  const withDns = {
    ...n,
    ...(own.dns_enabled !== undefined && { dns: own.dns_enabled }),
    ...(n.driver === 'bridge' &&
      !isolated(own) && { notIsolated: notIsolated(n.name ?? own.name ?? n.id) }),
  };
  const iface = own.network_interface;
  if (!iface) return withDns;
  const options = { ...(own.options ?? {}), ...n.options };
  if (n.driver === 'bridge') options[BRIDGE_NAME_OPTION] ??= iface;
  if (n.driver === 'macvlan' || n.driver === 'ipvlan') options.parent ??= iface;
  return { ...withDns, options };
}
