/**
 * What differs between the engines that speak the Docker Engine API: Docker itself and Podman's
 * compatibility service. Each engine keeps all of its knowledge in one file of this folder (docker.ts,
 * podman.ts) behind this interface; nothing else in lab asks which engine a host runs.
 *
 * Two halves: facts about the host that scenarios and assertions name (NAT chains, the process that
 * holds a published port, refusals), and how the engine's answers are completed where its
 * compatibility API leaves out what lab reads (Podman's macvlan parent, bridge interface names).
 */
/** The parts of lab's network and container facts an engine completes (docker-client.ts has them all). */
export interface NetworkFacts {
  id: string;
  /** As the compat API names it (Podman's default network: `bridge`). */
  name?: string;
  driver: string;
  options: Record<string, string>;
  /** Whether the engine runs a name server on the network (Podman's dns_enabled); absent on Docker. */
  dns?: boolean;
  /** Set on a bridge the engine forwards to and from the host's other bridges: why, in words. */
  notIsolated?: string;
}
export interface ContainerFacts {
  networks: Record<string, unknown>;
}

export type EngineKind = 'docker' | 'podman';

/** Operations the seed's Docker refuses and scenarios claim with `fails:`. */
export type Refusal = 'static-ip-on-default-network' | 'second-macvlan-on-parent';

/** A container's name that did not resolve in another, with what explaining it needs. */
export interface UnresolvedName {
  /** The container that asked: its networks (lab's names, `bridge` the default) and name servers. */
  asker: { container: string; networks: string[]; nameservers: string[] };
  /** The container the name is, with its networks, when it is one. */
  target?: { container: string; networks: string[] };
  /** The host's networks (lab's names): gateway, and `dns` as NetworkFacts has it. */
  networks: { name: string; gateway?: string; dns?: boolean }[];
}

/** Where a rule the seed finds in one iptables chain lives on this engine. */
export interface ChainPlace {
  chain: string;
  /**
   * True when the engine reaches its rules through jumps (POSTROUTING → NETAVARK-<id> → MASQUERADE):
   * a rule reached through a jump counts as a rule of the chain that jumps.
   */
  followJumps: boolean;
  /** Why the chain differs from the one claimed, in words; absent when it does not. */
  note?: string;
}

/**
 * GET on the same socket, for facts the compat API leaves out; undefined when not found. Paths are
 * sent as given when `unversioned` (an engine's own API carries its own version: /v4.0.0/libpod/…),
 * else under the negotiated Docker API version like every other call.
 */
export type EngineGet = <T>(
  path: string,
  options?: { unversioned?: boolean },
) => Promise<T | undefined>;

export interface EngineProfile {
  readonly kind: EngineKind;
  /** "Docker", "Podman": how lab names the engine in preflight lines, reports and JSON. */
  readonly product: string;
  /** The engine's Linux bridges, in words ("br-<network id>", "podman<N>"). */
  readonly bridgeInterfaces: string;
  /**
   * Set when the engine makes a bridge network's Linux bridge only once a container joins it (Podman's
   * netavark), not with the network as Docker does: how it differs, in words.
   */
  readonly bridgeWhenUsed?: string;
  /** Containers' name server on user-defined networks, in words. */
  readonly containerDns: string;
  /** The iptables chain in which this engine keeps what the seed's Docker keeps in `chain`. */
  natChain(table: string, chain: string): ChainPlace;
  /** The process that holds a published port where the seed's Docker runs `process`. */
  portProcess(process: string): { process: string; note?: string };
  /** Why the engine cannot take part in a swarm (overlay networks), in words; undefined when it can. */
  readonly noSwarm?: string;
  /**
   * Why a container's name did not resolve in another where the engine's name server works otherwise
   * than the seed's Docker's embedded DNS, in words; undefined when the engine does not explain it.
   */
  unresolvedName?(q: UnresolvedName): string | undefined;
  /** Undefined when the engine refuses it as Docker does; else what the engine does instead, in words. */
  accepts(refusal: Refusal): string | undefined;
  /**
   * Options the engine needs on a new network of `driver` for it to behave as the seed's Docker's
   * does (Podman: `isolate` on a bridge); a scenario's own options win over them.
   */
  networkOptions(driver: string): Record<string, string>;
  /** True when a failed create's HTTP status and message say the name is taken. */
  isNameConflict(status: number, message: string): boolean;

  /** The engine's own name of the network scenarios call `bridge` (Docker's default bridge). */
  defaultNetworkName(get: EngineGet): Promise<string>;
  /** A network as the compat API reported it, completed from the engine's own API. */
  completeNetworks<N extends NetworkFacts>(networks: N[], get: EngineGet): Promise<N[]>;
  /** A container's networks keyed as lab names them (the default network as `bridge`). */
  completeContainer<C extends ContainerFacts>(container: C, defaultNetwork: string): C;
}

/** `/version` as far as telling engines apart needs it. */
export interface VersionComponents {
  Components?: { Name?: string }[] | null;
}

/** Podman's service names itself in /version's components ("Podman Engine"); Docker's say "Engine". */
export function detectEngineKind(v: VersionComponents): EngineKind {
  return (v.Components ?? []).some((c) => /^podman\b/i.test(c.Name ?? '')) ? 'podman' : 'docker';
}

/** "Podman 4.3.1", "Docker 20.10.24". */
export function engineLabel(v: { product: string; version: string }): string {
  return `${v.product} ${v.version}`;
}
