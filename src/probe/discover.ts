/**
 * Finding what lab deployed on one host: containers by label (lab.managed=true, probers left out),
 * with every address on every network, and the networks they are on. Four API calls plus one
 * inspect per container, over the host's one SSH connection.
 */
import type {
  ContainerInfo,
  DockerClient,
  ExecOutcome,
  Labels,
  NetworkInfo,
} from '../docker/docker-client.js';
import { LABEL } from '../plan/labels.js';
import type { TopoContainer, TopoHost, TopoNetwork } from './topology.js';
import { endpointsOf } from './bind.js';
import { errorText } from '../common/errors.js';
import { parseProcNet, PROC_NET_FILES } from './proc-net.js';
import { matchesAll, type ContainerSelector, type Selectable } from '../scenario/selector.js';

export const PROBE_KIND = 'probe';

/** A prober's label: until when (epoch ms) it may live; one still there afterwards was left behind. */
export const PROBE_UNTIL_LABEL = 'lab.probe.until';

export interface DiscoverFilter {
  /** Only containers of this scenario (label lab.scenario). */
  scenario?: string;
  /**
   * Containers chosen by label, name or network instead (`--select`), whoever made them; those
   * lab did not make are marked foreign.
   */
  select?: readonly ContainerSelector[];
  /** Wall clock (epoch ms), to tell probers left behind by a killed run. */
  now: number;
}

export interface Discovered {
  host: TopoHost;
  /** Probers of earlier runs past their time (their lab was killed before it could remove them). */
  leftovers: ContainerInfo[];
}

export async function discoverHost(
  docker: DockerClient,
  host: { name: string; address: string },
  filter: DiscoverFilter,
): Promise<Discovered> {
  const labels: Labels = { [LABEL.managed]: 'true' };
  if (filter.scenario) labels[LABEL.scenario] = filter.scenario;
  const select = filter.select;
  const [containers, networks, probers] = await Promise.all([
    select
      ? docker.listContainers().then((all) => all.filter((c) => matchesAll(select, selectable(c))))
      : docker.listContainers({ labels }),
    docker.listNetworks(),
    docker.listContainers({ labels: { [LABEL.kind]: PROBE_KIND } }),
  ]);
  return {
    host: toTopoHost(host, containers, networks),
    leftovers: probers.filter((p) => Number(p.labels[PROBE_UNTIL_LABEL] ?? 0) < filter.now),
  };
}

/** Engine answers → topology, pure. */
export function toTopoHost(
  host: { name: string; address: string },
  containers: readonly ContainerInfo[],
  networks: readonly NetworkInfo[],
): TopoHost {
  const deployed = containers.filter((c) => c.labels[LABEL.kind] !== PROBE_KIND);
  // Every network, also those no container is on: their gateways are addresses of the host itself.
  return {
    name: host.name,
    address: host.address,
    networks: networks.map((n) => toTopoNetwork(host.name, n)),
    containers: deployed.map((c) => toTopoContainer(host.name, c)),
  };
}

export function toTopoNetwork(host: string, n: NetworkInfo): TopoNetwork {
  return {
    host,
    id: n.id,
    name: n.name,
    driver: n.driver,
    ...(n.subnet !== undefined && { subnet: n.subnet }),
    ...(n.gateway !== undefined && { gateway: n.gateway }),
    ...(n.options['parent'] !== undefined && { parent: n.options['parent'] }),
    internal: n.internal === true,
    icc: n.options['com.docker.network.bridge.enable_icc'] !== 'false',
    ...(n.notIsolated !== undefined && { notIsolated: n.notIsolated }),
    ...(n.dns !== undefined && { dns: n.dns }),
  };
}

/** A container as a selector sees it: its name, labels and the networks it has addresses on. */
function selectable(c: ContainerInfo): Selectable {
  return { name: c.name, labels: c.labels, networks: Object.keys(c.networks) };
}

function toTopoContainer(host: string, c: ContainerInfo): TopoContainer {
  const scenario = c.labels[LABEL.scenario];
  return {
    labels: c.labels,
    ...(c.labels[LABEL.managed] !== 'true' && { foreign: true }),
    host,
    id: c.id,
    name: c.name,
    image: c.image,
    running: c.running,
    ...(c.running && c.pid > 0 && { pid: c.pid }),
    ...(scenario !== undefined && { scenario }),
    endpoints: endpointsOf(c),
    observed: true,
    ...(!c.running && { unavailable: `${c.name} is not running on ${host}` }),
    ...publishedPorts(c),
  };
}

function publishedPorts(c: ContainerInfo): Pick<TopoContainer, 'published'> {
  const published = (c.published ?? []).flatMap((p) =>
    p.protocol === 'sctp'
      ? []
      : [
          {
            port: p.containerPort,
            protocol: p.protocol,
            hostPort: p.hostPort,
            ...(p.hostIp !== undefined && { hostIp: p.hostIp }),
          },
        ],
  );
  return published.length > 0 ? { published } : {};
}

/**
 * The ports a running container listens on, from its own /proc/net (one `cat` inside it). A
 * container without `cat` keeps its ports unknown, with the reason.
 */
export async function readListening(
  docker: DockerClient,
  c: TopoContainer,
  /** How to run `cat` in its namespace; default an exec in the container itself. */
  runCat: (argv: string[]) => Promise<ExecOutcome> = (argv) =>
    docker.exec(c.id || c.name, argv, { timeoutMs: 15_000 }),
): Promise<Pick<TopoContainer, 'listening' | 'listeningUnknown'>> {
  try {
    // cat fails on a file a kernel without IPv6 lacks, yet prints the others: stdout decides.
    const r = await runCat(['cat', ...PROC_NET_FILES]);
    if (!r.stdout.includes('local_address')) {
      const why = (r.stderr.trim() || `exit status ${String(r.exitCode)}`).split('\n')[0] ?? '';
      return { listeningUnknown: `could not read its /proc/net (${why})` };
    }
    return { listening: parseProcNet(r.stdout) };
  } catch (err) {
    return {
      listeningUnknown: `could not read its /proc/net (${errorText(err).split('\n')[0] ?? ''})`,
    };
  }
}
