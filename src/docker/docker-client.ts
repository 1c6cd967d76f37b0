/**
 * The Docker Engine as lab needs it. Our own interface in front of docker-modem: nothing above src/docker
 * sees vendor types, and unit tests fake it with a plain object.
 *
 * Names and ids are interchangeable wherever the Engine API accepts both. "Not found" is a value
 * (undefined), never an exception; every other failure is a LabError with host and operation.
 */
import type { EngineKind, EngineProfile } from './engines/engine-profile.js';

export type Labels = Record<string, string>;

export interface EngineVersion {
  /** Which engine answers: Docker, or Podman's Docker-compatible service. */
  kind: EngineKind;
  /** "Docker" or "Podman": how reports name it ("Podman 4.3.1"). */
  product: string;
  /** Engine version, e.g. "20.10.24" or "1.13.1". */
  version: string;
  /** Engine API version, e.g. "1.41"; old engines (RHEL 7) speak 1.26. */
  apiVersion: string;
  os: string;
  kernel: string;
}

/**
 * How lab reaches a host's Engine: `forward` is a direct-streamlocal channel to its socket;
 * `dial-stdio` runs `docker system dial-stdio` on session channels (through sudo when `sudo`), for
 * hosts whose sshd refuses forwarding or whose login user may not open the socket.
 */
export interface EngineRoute {
  via: 'forward' | 'dial-stdio';
  sudo: boolean;
  /** Why the socket forward was not used (auto only): "the host's sshd refuses stream forwarding". */
  reason?: string;
}

export interface EngineInfo {
  /** The daemon's unique id: two hosts never share one. */
  id: string;
  /** The daemon host's name as Docker reports it. */
  name: string;
  swarm: 'inactive' | 'pending' | 'active' | 'error' | 'locked' | string;
  /** In a swarm: this node's id, whether it is a manager, and the managers it knows. */
  swarmNode?: SwarmNodeState;
}

export interface SwarmNodeState {
  nodeId: string;
  /** True on managers (the Engine's ControlAvailable): only they can inspect or change the swarm. */
  isManager: boolean;
  /** The swarm's id; the Engine tells managers only. */
  clusterId?: string;
  /** The address this node advertises. */
  address?: string;
  /** The managers this node knows, by node id and address ("198.18.0.1:2377"). */
  managers: { nodeId: string; address: string }[];
}

export interface SwarmInitSpec {
  /** The address other nodes reach this one on (`--advertise-addr`). */
  advertiseAddress: string;
  /** `--default-addr-pool`: where swarm networks (ingress included) get their subnets. */
  defaultAddressPool?: string[];
  /** `--default-addr-pool-mask-length`. */
  subnetSize?: number;
  /** `--listen-addr` (default 0.0.0.0:2377, every interface). */
  listenAddress?: string;
}

export interface SwarmJoinSpec {
  advertiseAddress: string;
  /** Managers' addresses with port ("198.18.0.1:2377"). */
  managers: string[];
  token: string;
}

/** A swarm node as a manager sees it. */
export interface NodeInfo {
  id: string;
  hostname: string;
  role: string;
  labels: Labels;
  /** Its advertised address. */
  address?: string;
}

export interface NetworkInfo {
  id: string;
  name: string;
  driver: string;
  labels: Labels;
  /** First IPAM config, IPv4. */
  subnet?: string;
  gateway?: string;
  options: Record<string, string>;
  /** True for `--internal` networks: no route out of the network. */
  internal?: boolean;
  /** Whether the engine runs a name server on it: Podman says (dns_enabled); absent on Docker. */
  dns?: boolean;
  /**
   * Set on a bridge network the engine does not keep apart from the host's other bridges (Podman's
   * netavark without `isolate`): why, in words. Absent: isolated, as Docker isolates every bridge.
   */
  notIsolated?: string;
  /** True for swarm-scoped networks (overlay): they exist across the swarm, managed on managers. */
  swarmScoped?: boolean;
  /** True for `--attachable` networks: standalone containers may join. */
  attachable?: boolean;
  /** Containers attached, by name, with their IPv4 address on this network (no prefix length). */
  containers: { name: string; ipv4?: string }[];
}

export interface NetworkCreateSpec {
  name: string;
  driver: string;
  subnet?: string;
  gateway?: string;
  options: Record<string, string>;
  labels: Labels;
  attachable?: boolean;
  internal?: boolean;
}

export interface ContainerNetworkInfo {
  ipv4?: string;
  prefixLength?: number;
  gateway?: string;
  mac?: string;
}

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  labels: Labels;
  running: boolean;
  /** Main process id on the host, 0 when not running. */
  pid: number;
  networks: Record<string, ContainerNetworkInfo>;
  /** Ports published on the host (`-p`), as the Engine bound them; absent when none. */
  published?: PublishedPortInfo[];
}

export interface PublishedPortInfo {
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  hostPort: number;
  /** The host address it is bound to; absent when bound to every address. */
  hostIp?: string;
}

export interface ContainerCreateSpec {
  name: string;
  image: string;
  /** Hostname inside the container; defaults to the name so that the seed's prompts match. */
  hostname?: string;
  command?: string[];
  /**
   * Allocate a terminal and keep stdin open, as `docker run -it` does: the image's own shell then
   * stays alive with no command given, exactly as in the seed's `docker run -it … busybox`.
   */
  interactive?: boolean;
  labels: Labels;
  /** The network the container is created on (with its static IPv4, if any). */
  network?: { name: string; ipv4?: string };
  /** "8080:80" or "8080:80/tcp" style port publications. */
  publish?: string[];
  /**
   * Join another container's network namespace instead of networks of its own
   * (`docker run --network container:ID`): "container:<id>". `network` and `hostname` must then be
   * absent; the Engine refuses a hostname in this mode, so none is sent.
   */
  networkMode?: string;
  /** Remove the container as soon as it exits (`docker run --rm`). */
  autoRemove?: boolean;
}

export interface ExecOutcome {
  /** null when the command did not finish: timed out (see timedOut) or the stream was cut. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when options.timeoutMs ran out first; the process may still run inside the container. */
  timedOut?: boolean;
}

export interface DockerClient {
  /** How this client reaches the Engine, when it is over SSH (the box's local clients have none). */
  readonly route?: EngineRoute;
  readonly host: string;
  /** What this host's engine does differently (docker/engines/); found from /version on connect. */
  readonly engine: EngineProfile;
  version(): Promise<EngineVersion>;
  info(): Promise<EngineInfo>;
  imageExists(ref: string): Promise<boolean>;

  /** `containers` is empty in list results (the Engine fills it on inspect only). */
  listNetworks(filter?: { labels?: Labels }): Promise<NetworkInfo[]>;
  inspectNetwork(nameOrId: string): Promise<NetworkInfo | undefined>;
  createNetwork(spec: NetworkCreateSpec): Promise<string>;
  /** Removing what is already gone succeeds (as for containers and volumes). */
  removeNetwork(nameOrId: string): Promise<void>;

  listContainers(filter?: { labels?: Labels }): Promise<ContainerInfo[]>;
  inspectContainer(nameOrId: string): Promise<ContainerInfo | undefined>;
  createContainer(spec: ContainerCreateSpec): Promise<string>;
  startContainer(nameOrId: string): Promise<void>;
  removeContainer(nameOrId: string): Promise<void>;
  connectNetwork(network: string, container: string, ipv4?: string): Promise<void>;
  disconnectNetwork(network: string, container: string): Promise<void>;

  /**
   * Volumes with labels: lab keeps what it must remember on a host (each NIC's state before lab
   * changed it) as labels of a small volume, so that `lab down` can restore it after a crash and
   * nothing but Docker's own objects is left on the host.
   */
  listVolumes(filter?: { labels?: Labels }): Promise<{ name: string; labels: Labels }[]>;
  createVolume(spec: { name: string; labels: Labels }): Promise<void>;
  removeVolume(name: string): Promise<void>;

  /**
   * `docker run` without -d: creates the container, attaches to its output before starting it (so
   * nothing is missed), starts it and collects stdout and stderr until it exits. With
   * spec.autoRemove the Engine then removes it by itself (`--rm`). exitCode is null when the Engine
   * cannot say (API before 1.30) or the time ran out; the container is then removed (force).
   */
  run(spec: ContainerCreateSpec, options?: { timeoutMs?: number }): Promise<ExecOutcome>;

  /** Runs argv in a running container and waits for it; success is the exit code. */
  exec(
    container: string,
    argv: readonly string[],
    options?: { timeoutMs?: number },
  ): Promise<ExecOutcome>;

  /** `docker swarm init`; returns the new node's id. */
  swarmInit(spec: SwarmInitSpec): Promise<string>;
  /** `docker swarm join`. */
  swarmJoin(spec: SwarmJoinSpec): Promise<void>;
  /** `docker swarm leave [--force]`; leaving when in no swarm succeeds. */
  swarmLeave(force: boolean): Promise<void>;
  /** The join token for workers (managers only). */
  swarmWorkerToken(): Promise<string>;
  /** Swarm nodes (managers only). */
  listNodes(): Promise<NodeInfo[]>;
  inspectNode(id: string): Promise<NodeInfo | undefined>;
  /** Adds labels to a node's spec (`docker node update --label-add`), keeping the rest of it. */
  addNodeLabels(id: string, labels: Labels): Promise<void>;

  close(): Promise<void>;
}
