/**
 * What a box host holds, read on the host itself (its own Engine socket from this machine, its
 * network namespace through nsenter), never through lab's SSH layer: the witness that a scenario
 * left nothing behind. Objects another scenario labelled as its own are left out, so a colleague's
 * run on the same box does not count against this one.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createLocalDockerClient } from '../../src/docker/connect-docker.js';
import type { DockerClient, Labels } from '../../src/docker/docker-client.js';
import { parseLinks } from '../../src/host/nic-state.js';
import { findScenario, loadScenarioFile } from '../../src/scenario/index.js';
import type { BoxHosts } from './box-hosts.js';
import { repoRoot } from './cli.js';

const run = promisify(execFile);

export interface HostState {
  host: string;
  containers: string[];
  networks: string[];
  volumes: string[];
  /**
   * Every interface by name (container veths left out: they come and go with containers), with its
   * flags ("eth0 up promisc") for the NICs the scenario prepares or uses: a colleague's scenario may
   * change other NICs' flags meanwhile.
   */
  links: string[];
  swarm: string;
}

/** The interfaces a shipped scenario prepares or puts networks on, read from its file. */
async function scenarioNics(scenario: string): Promise<Set<string>> {
  try {
    const doc = await loadScenarioFile(findScenario(scenario, `${repoRoot}/scenarios`));
    return new Set([
      ...(doc.source.nics ?? []).flatMap((n) => [n.interface, ...(n.vlan ? [n.vlan.parent] : [])]),
      ...(doc.source.networks ?? []).flatMap((n) => (n.parent ? [n.parent] : [])),
    ]);
  } catch {
    return new Set();
  }
}

export class BoxWitness {
  private constructor(
    private readonly box: BoxHosts,
    readonly engines: DockerClient[],
  ) {}

  static async open(box: BoxHosts): Promise<BoxWitness> {
    const engines = await Promise.all(
      box.localDockerSockets.map((s, i) =>
        createLocalDockerClient(s, box.state.hosts[i]?.name ?? `host${i}`),
      ),
    );
    return new BoxWitness(box, engines);
  }

  async close(): Promise<void> {
    await Promise.all(this.engines.map((e) => e.close()));
  }

  async links(i: number) {
    const host = this.box.state.hosts[i];
    if (!host) throw new Error(`no host ${i}`);
    const [cmd = 'nsenter', ...args] = host.nsenter;
    const { stdout } = await run(cmd, [...args, 'ip', '-o', 'link', 'show']);
    return parseLinks(stdout);
  }

  /** Everything on every host, except what another scenario than `scenario` labelled its own. */
  async state(scenario: string): Promise<HostState[]> {
    const nics = await scenarioNics(scenario);
    // Probers (lab check, lab run's ping checks) remove themselves and belong to no scenario: a
    // colleague's running at the same time must not count here.
    const notOthers = (labels: Labels) =>
      labels['lab.kind'] !== 'probe' &&
      (labels['lab.scenario'] === undefined || labels['lab.scenario'] === scenario);
    return Promise.all(
      this.engines.map(async (e, i) => {
        const [containers, networks, volumes, links, info] = await Promise.all([
          e.listContainers(),
          e.listNetworks(),
          e.listVolumes(),
          this.links(i),
          e.info(),
        ]);
        return {
          host: e.host,
          containers: containers
            .filter((c) => notOthers(c.labels))
            .map((c) => c.name)
            .sort(),
          networks: networks
            .filter((n) => notOthers(n.labels))
            .map((n) => n.name)
            .sort(),
          volumes: volumes
            .filter((v) => notOthers(v.labels))
            .map((v) => v.name)
            .sort(),
          links: [...links.values()]
            .filter((l) => !l.name.startsWith('veth'))
            .map((l) =>
              nics.has(l.name)
                ? `${l.name} ${l.up ? 'up' : 'down'}${l.promisc ? ' promisc' : ''}`
                : l.name,
            )
            .sort(),
          swarm: info.swarm,
        };
      }),
    );
  }

  /** Anything at all carrying the scenario's label. */
  async labelled(scenario: string): Promise<string[]> {
    const labels = { 'lab.scenario': scenario };
    const found = await Promise.all(
      this.engines.map(async (e) => [
        ...(await e.listContainers({ labels })).map((c) => `${e.host} container ${c.name}`),
        ...(await e.listNetworks({ labels })).map((n) => `${e.host} network ${n.name}`),
        ...(await e.listVolumes({ labels })).map((v) => `${e.host} volume ${v.name}`),
      ]),
    );
    return found.flat();
  }
}
