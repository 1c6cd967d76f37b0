import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import type { ContainerCreateSpec } from '../docker/docker-client.js';
import { LabError } from '../common/errors.js';
import type { SshTarget } from '../ssh/target.js';
import type { CheckHost, ConnectivityOptions } from './connectivity-model.js';
import { checkConnectivity } from './connectivity.js';
import type { Scenario } from '../scenario/model.js';
import { claimOfCell, explainProbe } from '../report/probe-detail.js';
import { makeStyle } from '../report/style.js';

const target = (host: string, address: string): SshTarget => ({
  host,
  address,
  port: 22,
  user: 'root',
  become: false,
});
const hosts: CheckHost[] = [
  { target: target('server1', '198.18.0.1'), probeImage: 'lab/busybox:latest' },
  { target: target('server2', '198.18.0.2'), probeImage: 'lab/busybox:latest' },
];
const options: ConnectivityOptions = {
  names: false,
  timeoutSeconds: 1,
  waitMs: 0,
  hostConcurrency: 4,
  perHost: 4,
  runId: 'r1',
};

/** Two hosts with mac_net1 on eth0; vm4 on server1, vm5 on server2; what answers is set per host. */
async function twoHosts() {
  const fakes = new Map(['server1', 'server2'].map((h) => [h, new FakeHost(h)]));
  const created: ContainerCreateSpec[] = [];
  for (const [i, [name, fake]] of [...fakes].entries()) {
    const create = fake.docker.createContainer;
    fake.docker.createContainer = async (spec) => (created.push(spec), create(spec));
    await fake.docker.createNetwork({
      name: 'mac_net1',
      driver: 'macvlan',
      subnet: '198.19.1.0/24',
      gateway: '198.19.1.1',
      options: { parent: 'eth0' },
      labels: {},
    });
    const c = name === 'server1' ? 'vm4' : 'vm5';
    await fake.docker.createContainer({
      name: c,
      image: 'img',
      labels: { 'lab.managed': 'true', 'lab.scenario': 's' },
      network: { name: 'mac_net1', ipv4: `198.19.1.${10 + i}` },
    });
    await fake.docker.startContainer(c);
  }
  return { fakes, created };
}

describe('checkConnectivity (fake hosts)', () => {
  it('one prober per source in its namespace, every cell judged, probers gone afterwards', async () => {
    const { fakes, created } = await twoHosts();
    fakes.get('server1')?.reachable.add('198.19.1.11');
    fakes.get('server2')?.reachable.add('198.19.1.10');
    const report = await checkConnectivity(
      hosts,
      async (t) => fakes.get(t.host) as FakeHost,
      options,
    );
    expect(report.verdict).toBe('pass');
    expect(report.results.map((r) => [r.cell.id, r.outcome, r.reached])).toEqual([
      ['vm4@server1 → addr:vm5@server2/mac_net1', 'pass', true],
      ['vm4@server1 → gw:macvlan|mac_net1|198.19.1.0/24|eth0', 'pass', false],
      ['vm4@server1 → host:server1', 'pass', false],
      ['vm4@server1 → host:server2', 'pass', false],
      ['vm5@server2 → addr:vm4@server1/mac_net1', 'pass', true],
      ['vm5@server2 → gw:macvlan|mac_net1|198.19.1.0/24|eth0', 'pass', false],
      ['vm5@server2 → host:server1', 'pass', false],
      ['vm5@server2 → host:server2', 'pass', false],
    ]);
    const probers = created.filter((s) => s.networkMode);
    expect(
      probers.map((s) => [
        s.networkMode,
        s.autoRemove,
        s.labels['lab.kind'],
        s.labels['lab.probe.run'],
      ]),
    ).toEqual([
      ['container:c2', true, 'probe', 'r1'],
      ['container:c2', true, 'probe', 'r1'],
    ]);
    expect(report.probers).toBe(2);
    expect(report.dockerCalls).toMatchObject({ run: 2 });
    expect(report.dockerCalls['exec']).toBeUndefined();
    for (const f of fakes.values())
      expect([...f.containers.keys()]).toEqual([f.host === 'server1' ? 'vm4' : 'vm5']);
    expect(report.results[0]?.reproduce).toBe(
      "ssh root@198.18.0.1 'docker run --rm --network container:vm4 lab/busybox:latest ping -c 1 -W 1 -I eth0 198.19.1.11'",
    );
  });

  it("a published port from the other host's own network: its row's prober runs there, its result finds its cell", async () => {
    const { fakes, created } = await twoHosts();
    const vm4 = fakes.get('server1')?.containers.get('vm4');
    if (vm4) vm4.published = [{ containerPort: 80, protocol: 'tcp', hostPort: 8080 }];
    fakes.get('server2')?.reachable.add('198.18.0.1:8080/tcp');
    const report = await checkConnectivity(hosts, async (t) => fakes.get(t.host) as FakeHost, {
      ...options,
      ports: { listening: false, published: true },
    });
    const row = report.results.find((r) => r.cell.source === '(host)@server2');
    expect(row).toMatchObject({
      cell: { target: 'port:host:server1:8080/tcp', expect: 'reach' },
      outcome: 'pass',
      portState: 'open',
    });
    expect(created.filter((s) => s.networkMode === 'host').map((s) => s.name)).toEqual([
      'lab-probe-r1-host-server2',
    ]);
  });

  it("says each host's Docker version and the state of its macvlan parent NICs, for the report", async () => {
    const { fakes } = await twoHosts();
    const s2 = fakes.get('server2') as FakeHost;
    s2.links.set('eth0', { up: true, promisc: true });
    const report = await checkConnectivity(
      hosts,
      async (t) => fakes.get(t.host) as FakeHost,
      options,
    );
    expect(report.hosts.map((h) => [h.host, h.engine, h.nics])).toEqual([
      ['server1', '20.10.24', [{ name: 'eth0', up: true, promisc: false }]],
      ['server2', '20.10.24', [{ name: 'eth0', up: true, promisc: true }]],
    ]);
  });

  it('exactly the broken cells FAIL', async () => {
    const { fakes } = await twoHosts();
    fakes.get('server2')?.reachable.add('198.19.1.10');
    const report = await checkConnectivity(
      hosts,
      async (t) => fakes.get(t.host) as FakeHost,
      options,
    );
    expect(report.verdict).toBe('fail');
    expect(report.results.filter((r) => r.outcome !== 'pass').map((r) => r.cell.id)).toEqual([
      'vm4@server1 → addr:vm5@server2/mac_net1',
    ]);
  });

  it('a host that cannot be reached: ERROR for what depends on it, verdicts for the rest', async () => {
    const { fakes } = await twoHosts();
    const report = await checkConnectivity(
      hosts,
      async (t) => {
        if (t.host === 'server2')
          throw new LabError('host', 'server2: connection refused', { host: 'server2' });
        return fakes.get(t.host) as FakeHost;
      },
      options,
    );
    expect(report.verdict).toBe('error');
    expect(report.hosts[1]?.error?.message).toMatch(/connection refused/);
    // server2's containers are unknown without the scenario: only server1's row, all verdicts.
    expect(
      report.results.every((r) => r.cell.source === 'vm4@server1' && r.outcome === 'pass'),
    ).toBe(true);
  });

  it('a prober that fails is an ERROR for its cells, and the run sweeps its probers', async () => {
    const { fakes } = await twoHosts();
    const s1 = fakes.get('server1') as FakeHost;
    s1.docker.exec = async () => {
      throw new LabError('remote', 'exec refused', { host: 'server1' });
    };
    let swept = 0;
    const list = s1.docker.listContainers;
    s1.docker.listContainers = async (f) => {
      if (f?.labels?.['lab.probe.run'] === 'r1') swept++;
      return list(f);
    };
    const report = await checkConnectivity(
      hosts,
      async (t) => fakes.get(t.host) as FakeHost,
      options,
    );
    expect(report.verdict).toBe('error');
    const vm4 = report.results.filter((r) => r.cell.source === 'vm4@server1');
    expect(vm4.every((r) => r.outcome === 'error' && r.evidence === 'exec refused')).toBe(true);
    expect(swept).toBe(1);
    expect([...s1.containers.keys()]).toEqual(['vm4']);
  });

  it('removes probers a killed run left behind, not those of a run still going', async () => {
    const { fakes } = await twoHosts();
    const s1 = fakes.get('server1') as FakeHost;
    const probe = (name: string, until: string) =>
      s1.docker.createContainer({
        name,
        image: 'img',
        labels: { 'lab.managed': 'true', 'lab.kind': 'probe', 'lab.probe.until': until },
        networkMode: 'container:c2',
      });
    await probe('old', '1000');
    await probe('running', '9000');
    await checkConnectivity(hosts, async (t) => fakes.get(t.host) as FakeHost, {
      ...options,
      wallNow: () => 5000,
    });
    expect([...s1.containers.keys()].sort()).toEqual(['running', 'vm4']);
  });

  it('a missing probe image is said, with the flag that fixes it', async () => {
    const { fakes } = await twoHosts();
    (fakes.get('server2') as FakeHost).docker.imageExists = async () => false;
    const report = await checkConnectivity(
      hosts,
      async (t) => fakes.get(t.host) as FakeHost,
      options,
    );
    expect(report.hosts[1]?.error?.context.hint).toMatch(/--probe-image/);
    expect(
      report.results
        .filter((r) => r.cell.source === 'vm5@server2')
        .every((r) => r.outcome === 'error'),
    ).toBe(true);
  });

  it('a stopped container: its cells say it is not running, derive nothing, offer no command (issue 15 #4)', async () => {
    const { fakes } = await twoHosts();
    fakes.get('server1')?.reachable.add('198.19.1.11');
    const s2 = fakes.get('server2') as FakeHost;
    const vm5 = s2.containers.get('vm5');
    if (vm5) Object.assign(vm5, { running: false, networks: { mac_net1: {} } });
    const scenario: Scenario = {
      name: 's',
      description: '',
      file: 's.yaml',
      hosts: ['server1', 'server2'],
      vars: {},
      nics: [],
      networks: [
        {
          name: 'mac_net1',
          driver: 'macvlan',
          hosts: ['server1', 'server2'],
          subnet: '198.19.1.0/24',
          gateway: '198.19.1.1',
          parent: 'eth0',
          options: {},
        },
      ],
      containers: [
        {
          name: 'vm4',
          host: 'server1',
          image: 'img',
          networks: [{ network: 'mac_net1', ipv4: '198.19.1.10' }],
        },
        {
          name: 'vm5',
          host: 'server2',
          image: 'img',
          networks: [{ network: 'mac_net1', ipv4: '198.19.1.11' }],
        },
      ],
      expectations: [],
    };
    for (const withFile of [false, true]) {
      const report = await checkConnectivity(hosts, async (t) => fakes.get(t.host) as FakeHost, {
        ...options,
        ...(withFile && { scenario }),
      });
      const fromVm5 = report.results.filter((r) => r.cell.source === 'vm5@server2');
      expect(fromVm5.length).toBeGreaterThan(0);
      for (const r of fromVm5) {
        expect(r.outcome).toBe('error');
        expect(r.evidence).toBe('vm5 is not running on server2');
        expect(r.cell.reason).not.toMatch(/no network|no way out|shares no network/);
        expect(r.reproduce).toBe('');
        const text = explainProbe(r, claimOfCell(r, r.cell.target, 'server2'), makeStyle(false));
        expect(text).toContain('could not probe: vm5 is not running on server2');
        expect(text).not.toMatch(/reproduce|no network|no way out/);
      }
      if (withFile) {
        // With the scenario, the stopped vm5 keeps its column: vm4's cell to it is blocked, not gone.
        const toVm5 = report.results.find(
          (r) => r.cell.id === 'vm4@server1 → addr:vm5@server2/mac_net1',
        );
        expect(toVm5).toMatchObject({
          outcome: 'error',
          evidence: 'vm5 is not running on server2',
        });
      }
    }
  });

  it('a host lost during discovery: no probe towards or from it waits out its time; its cells say lost, the others are real', async () => {
    const { fakes, created } = await twoHosts();
    fakes.get('server1')?.reachable.add('198.19.1.11');
    const server2 = fakes.get('server2') as FakeHost;
    // Keepalives declared server2 lost while its discovery ended (the SSH connection's own words).
    server2.shell.lost = () => 'connection to server2 (198.18.0.2:22) lost';
    const report = await checkConnectivity(
      hosts,
      async (t) => fakes.get(t.host) as FakeHost,
      options,
    );
    const scripts = created.filter((s) => s.networkMode).map((s) => s.command?.join(' ') ?? '');
    expect(scripts.length).toBe(1);
    expect(scripts[0]).not.toContain('198.19.1.11');
    expect(scripts[0]).not.toContain('198.18.0.2');
    expect(report.results.map((r) => [r.cell.id, r.outcome])).toEqual([
      ['vm4@server1 → addr:vm5@server2/mac_net1', 'error'],
      ['vm4@server1 → gw:macvlan|mac_net1|198.19.1.0/24|eth0', 'pass'],
      ['vm4@server1 → host:server1', 'pass'],
      ['vm4@server1 → host:server2', 'error'],
      ['vm5@server2 → addr:vm4@server1/mac_net1', 'error'],
      ['vm5@server2 → gw:macvlan|mac_net1|198.19.1.0/24|eth0', 'error'],
      ['vm5@server2 → host:server1', 'error'],
      ['vm5@server2 → host:server2', 'error'],
    ]);
    for (const r of report.results.filter((x) => x.outcome === 'error'))
      expect(r.evidence).toBe('connection to server2 (198.18.0.2:22) lost during the probes');
    expect(report.verdict).toBe('error');
  });

  it('Ctrl-C while a script runs in a source itself (no prober to remove): the check stops waiting at once', async () => {
    const { fakes } = await twoHosts();
    const s1 = fakes.get('server1') as FakeHost;
    // vm4 runs the probe image, so its script is exec'd in vm4; that exec never ends by itself.
    const vm4 = s1.containers.get('vm4');
    if (vm4) vm4.image = 'lab/busybox:latest';
    let execs = 0;
    s1.docker.exec = () => (execs++, new Promise(() => {}));
    const controller = new AbortController();
    const started = Date.now();
    const checking = checkConnectivity(hosts, async (t) => fakes.get(t.host) as FakeHost, {
      ...options,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    const report = await checking;
    expect(execs).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    const cells = report.results.filter((r) => r.cell.source === 'vm4@server1');
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((r) => r.outcome === 'error')).toBe(true);
  });
});
