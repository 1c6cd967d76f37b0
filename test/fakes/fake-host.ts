import type {
  ContainerCreateSpec,
  ContainerInfo,
  DockerClient,
  Labels,
  NetworkCreateSpec,
  NetworkInfo,
} from '../../src/docker/docker-client.js';
import { DOCKER_ENGINE } from '../../src/docker/engines/index.js';
import type { HostSession } from '../../src/host/session.js';
import type { ExecResult, HostShell } from '../../src/ssh/host-shell.js';

const matches = (labels: Labels, filter?: Labels) =>
  Object.entries(filter ?? {}).every(([k, v]) => labels[k] === v);

/**
 * An in-memory host for unit tests of the executor: Docker objects in maps, links as `ip -o link`
 * would show them, every script recorded. Never proof that a feature works on a real host.
 */
export class FakeHost implements HostSession {
  readonly networks = new Map<string, NetworkInfo>();
  readonly containers = new Map<string, ContainerInfo>();
  readonly volumes = new Map<string, Labels>();
  readonly scripts: string[] = [];
  /** Files lab keeps on the host (the NIC state file), by path. */
  readonly files = new Map<string, string>();
  links = new Map([
    ['eth0', { up: true, promisc: false }],
    ['eth1', { up: false, promisc: false }],
  ]);
  /** Swarm membership, as `docker info` and the node API would report it. */
  swarm = {
    state: 'inactive',
    isManager: false,
    managers: [] as { nodeId: string; address: string }[],
    labels: {} as Labels,
    /** On a manager: the hosts that joined it. */
    workers: [] as string[],
  };
  /**
   * Docker's ingress network on a swarm node: `settlesAfter` inspections show it without its
   * sandbox first (Docker sets that up a moment after a join); `staleLeaves` plays Docker's
   * race that keeps it after the node leaves, for that many leaves.
   */
  ingress = { settlesAfter: 0, staleLeaves: 0, inspections: 0 };
  /** The other fake hosts, by name, for what spans hosts (a swarm). */
  peers?: Map<string, FakeHost>;
  /** What ping answers: address → reached. */
  reachable = new Set<string>();
  /** A container's /proc/net/{tcp,tcp6,udp,udp6} as `cat` prints them, by container name or id. */
  procNet = new Map<string, string>();
  readonly shell: HostShell;
  readonly docker: DockerClient;

  private ingressCount = 0;

  /** The NIC state file's lines saved (first line of a NIC wins) and its removal, as a script does. */
  private playFileCommands(text: string): void {
    const save = / (\/run\/lab\/\S+\.nics) '(\S+) (existed=[01],up=[01],promisc=[01])'/;
    // The first match of a line: the rest is the line's `echo 'failed: …'`, quoted once more.
    for (const m of text.split('\n').map((l) => save.exec(l))) {
      if (!m) continue;
      const [, file, nic, state] = m as unknown as [string, string, string, string];
      const now = this.files.get(file) ?? '';
      if (!now.split('\n').some((l) => l.startsWith(`${nic} `)))
        this.files.set(file, `${now}${nic} ${state}\n`);
    }
    for (const m of text.matchAll(/^rm -f (\S+)/gm)) this.files.delete(m[1] as string);
  }

  private addIngress(): void {
    this.ingress.inspections = 0;
    this.networks.set('ingress', {
      id: `ingress-${this.host}-${++this.ingressCount}`,
      name: 'ingress',
      driver: 'overlay',
      labels: {},
      options: {},
      swarmScoped: true,
      containers: [],
    });
  }

  constructor(readonly host: string) {
    const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1 });
    this.shell = {
      host,
      exec: async (argv) => {
        if (argv.join(' ') === 'ip -o link show') {
          const lines = [...this.links].map(([name, l], i) => {
            const flags = ['BROADCAST', ...(l.promisc ? ['PROMISC'] : []), ...(l.up ? ['UP'] : [])];
            return `${i + 2}: ${name}: <${flags.join(',')}> mtu 1500 qdisc noqueue state UP`;
          });
          return ok(lines.join('\n'));
        }
        // Logged in as root: NIC changes need no sudo.
        if (argv.join(' ') === 'id -u') return ok('0\n');
        // Reading the NIC state file (run/teardown.ts).
        if (argv[0] === 'sh' && argv[2]?.includes('cat "$1"'))
          return ok(this.files.get(argv[4] ?? '') ?? '');
        return ok();
      },
      script: async (text) => {
        this.scripts.push(text);
        this.playFileCommands(text);
        for (const m of text.matchAll(/^ip link set (\S+) (promisc (on|off)|up|down)/gm)) {
          const link = this.links.get(m[1] as string) ?? { up: false, promisc: false };
          if (m[3]) link.promisc = m[3] === 'on';
          else link.up = m[2] === 'up';
          this.links.set(m[1] as string, link);
        }
        return ok();
      },
      openUnixSocket: async () => {
        throw new Error('no sockets in a fake');
      },
      close: async () => {},
    };
    let ids = 0;
    this.docker = {
      host,
      engine: DOCKER_ENGINE,
      version: async () => ({
        kind: 'docker',
        product: 'Docker',
        version: '20.10.24',
        apiVersion: '1.41',
        os: 'linux',
        kernel: '6',
      }),
      info: async () => ({
        id: `id-${host}`,
        name: host,
        swarm: this.swarm.state,
        ...(this.swarm.state === 'active' && {
          swarmNode: {
            nodeId: `node-${host}`,
            isManager: this.swarm.isManager,
            managers: this.swarm.managers,
          },
        }),
      }),
      imageExists: async () => true,
      listNetworks: async (f) =>
        [...this.networks.values()].filter((n) => matches(n.labels, f?.labels)),
      inspectNetwork: async (nameOrId) => {
        const network =
          this.networks.get(nameOrId) ?? [...this.networks.values()].find((n) => n.id === nameOrId);
        if (network?.name !== 'ingress') return network;
        this.ingress.inspections++;
        const settled = this.ingress.inspections > this.ingress.settlesAfter;
        return { ...network, containers: settled ? [{ name: 'ingress-endpoint' }] : [] };
      },
      createNetwork: async (spec: NetworkCreateSpec) => {
        const id = `n${++ids}`;
        this.networks.set(spec.name, {
          id,
          name: spec.name,
          driver: spec.driver,
          labels: spec.labels,
          options: spec.options,
          containers: [],
          ...(spec.subnet && { subnet: spec.subnet }),
          ...(spec.gateway && { gateway: spec.gateway }),
        });
        return id;
      },
      removeNetwork: async (idOrName) => {
        for (const [k, n] of this.networks)
          if (n.id === idOrName || k === idOrName) this.networks.delete(k);
      },
      listContainers: async (f) =>
        [...this.containers.values()].filter((c) => matches(c.labels, f?.labels)),
      inspectContainer: async (name) => this.containers.get(name),
      createContainer: async (spec: ContainerCreateSpec) => {
        const id = `c${++ids}`;
        const networks = spec.network
          ? { [spec.network.name]: { ...(spec.network.ipv4 && { ipv4: spec.network.ipv4 }) } }
          : {};
        this.containers.set(spec.name, {
          id,
          name: spec.name,
          image: spec.image,
          labels: spec.labels,
          running: false,
          pid: 0,
          networks,
        });
        return id;
      },
      startContainer: async (name) => {
        const c = [...this.containers.values()].find((x) => x.id === name || x.name === name);
        if (c) c.running = true;
      },
      removeContainer: async (idOrName) => {
        for (const [k, c] of this.containers)
          if (c.id === idOrName || k === idOrName) this.containers.delete(k);
      },
      connectNetwork: async (network, container, ipv4) => {
        const c = this.containers.get(container);
        if (c) c.networks[network] = { ...(ipv4 && { ipv4 }) };
      },
      disconnectNetwork: async () => {},
      listVolumes: async (f) =>
        [...this.volumes]
          .filter(([, l]) => matches(l, f?.labels))
          .map(([name, labels]) => ({ name, labels })),
      createVolume: async ({ name, labels }) => void this.volumes.set(name, labels),
      removeVolume: async (name) => void this.volumes.delete(name),
      run: async (spec, options) => {
        const id = await this.docker.createContainer(spec);
        await this.docker.startContainer(id);
        const out = await this.docker.exec(id, spec.command ?? [], options);
        if (spec.autoRemove) await this.docker.removeContainer(id);
        return out;
      },
      swarmInit: async () => {
        Object.assign(this.swarm, { state: 'active', isManager: true });
        this.addIngress();
        this.swarm.managers = [{ nodeId: `node-${host}`, address: `${host}:2377` }];
        return `node-${host}`;
      },
      swarmJoin: async (spec) => {
        // The token names the manager (token-HOST); a manager among `peers` learns of the worker.
        const managerHost = spec.token.replace(/^token-/, '');
        Object.assign(this.swarm, { state: 'active', isManager: false });
        this.addIngress();
        this.swarm.managers = [{ nodeId: `node-${managerHost}`, address: spec.managers[0] ?? '' }];
        this.peers?.get(managerHost)?.swarm.workers.push(host);
      },
      swarmLeave: async () => {
        if (this.ingress.staleLeaves > 0) this.ingress.staleLeaves--;
        else this.networks.delete('ingress');
        Object.assign(this.swarm, {
          state: 'inactive',
          isManager: false,
          managers: [],
          workers: [],
        });
      },
      swarmWorkerToken: async () => `token-${host}`,
      listNodes: async () => [
        { id: `node-${host}`, hostname: host, role: 'manager', labels: this.swarm.labels },
        ...this.swarm.workers
          .filter((w) => this.peers?.get(w)?.swarm.state === 'active')
          .map((w) => ({ id: `node-${w}`, hostname: w, role: 'worker', labels: {} })),
      ],
      inspectNode: async (id) =>
        id === `node-${host}`
          ? { id, hostname: host, role: 'manager', labels: this.swarm.labels }
          : undefined,
      addNodeLabels: async (_id, labels) => void Object.assign(this.swarm.labels, labels),
      exec: async (_container, argv) => {
        // A prober's script (src/probe/probe-script.ts): answer each `p TAG MODE KIND DEST …` line
        // each ip probe's `L K TAG MODE DEST IFACE FULLSIZE` line and each TCP one's `N K TAG MODE DEST PORT`
        // each name's `Y K TAG MODE NAME` and each UDP port's `U K TAG MODE DEST PORT`.
        if (argv[0] === 'sh' && argv[1] === '-c' && argv[2]?.includes('@@lab-done')) {
          const script = argv[2];
          const probes = [
            ...[...script.matchAll(/^p (\S+) \S+ (\S+) (\S+) \S+ (\S+) \S+ &$/gm)].map(
              ([, tag, kind, dest, port]) => [tag, kind, dest, port],
            ),
            ...[...script.matchAll(/^L \d+ (\S+) \S+ (\S+) \S+ \S+$/gm)].map(([, tag, dest]) => [
              tag,
              'ip',
              dest,
              '-',
            ]),
            ...[...script.matchAll(/^N \d+ (\S+) \S+ (\S+) (\S+)$/gm)].map(
              ([, tag, dest, port]) => [tag, 'tcp', dest, port],
            ),
            ...[...script.matchAll(/^U \d+ (\S+) \S+ (\S+) (\S+)$/gm)].map(
              ([, tag, dest, port]) => [tag, 'udp', dest, port],
            ),
            ...[...script.matchAll(/^Y \d+ (\S+) \S+ (\S+)$/gm)].map(([, tag, dest]) => [
              tag,
              'name',
              dest,
              '-',
            ]),
          ];
          // Ports: "open" when `reachable` holds "DEST:PORT/PROTO", else refused.
          const lines = probes.map(([tag, kind, dest, port]) =>
            kind === 'tcp' || kind === 'udp'
              ? `@@lab ${tag} ${this.reachable.has(`${dest}:${port}/${kind}`) ? (kind === 'tcp' ? 'open' : 'silent') : 'refused'} 1 - 0 -`
              : `@@lab ${tag} ${this.reachable.has(dest as string) ? 0 : 1} 1 - 0 eth0`,
          );
          return {
            exitCode: 0,
            stdout: [...lines, '@@lab-done', ''].join('\n'),
            stderr: '',
            durationMs: 1,
          };
        }
        // A container's /proc/net (src/probe/proc-net.ts): what `listening` says, by container.
        if (argv[0] === 'cat' && argv[1] === '/proc/net/tcp') {
          return {
            exitCode: 0,
            stdout: this.procNet.get(_container) ?? PROC_NET_EMPTY,
            stderr: '',
            durationMs: 1,
          };
        }
        const address = argv.at(-1) ?? '';
        const reached = this.reachable.has(address);
        return {
          exitCode: reached ? 0 : 1,
          stdout: reached ? '1 packets received' : '0 packets received',
          stderr: '',
          durationMs: 1,
        };
      },
      close: async () => {},
    };
  }
}

/** The headers of /proc/net/tcp and /proc/net/udp with no socket under them. */
export const PROC_NET_EMPTY =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
