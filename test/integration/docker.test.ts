import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOX_IMAGE } from '../../src/box/index.js';
import { connectDocker, createLocalDockerClient } from '../../src/docker/connect-docker.js';
import type { DockerClient } from '../../src/docker/docker-client.js';
import { dockerStatusOf } from '../../src/docker/docker-errors.js';
import { LabError } from '../../src/common/errors.js';
import { connectHost } from '../../src/ssh/connect.js';
import type { RemoteShell } from '../../src/ssh/host-shell.js';
import { createSshStats, type SshStats } from '../../src/ssh/stats.js';
import { boxHosts, type BoxHosts } from './box-hosts.js';

// Everything this file creates carries this label, so cleanup finds it even after a failed test.
const RUN = `t${process.pid}`;
const LABELS = { 'lab.test': 'docker-integration', 'lab.test.run': RUN };
const NET = `lab-test-net-${RUN}`;
const NET2 = `lab-test-net2-${RUN}`;
const CONTAINER = `lab-test-c-${RUN}`;
const VOLUME = `lab-test-v-${RUN}`;
// Inside the box's range, away from its hosts' LAN (198.18.0.0/24), the scenario subnets
// (198.19.0.0/17 low part) and Docker's pools (198.19.128.0/17).
const SUBNET = '198.19.99.0/24';
const SUBNET2 = '198.19.98.0/24';

let box: BoxHosts;
let shell: RemoteShell;
let docker: DockerClient;
let stats: SshStats;

beforeAll(async () => {
  box = await boxHosts();
  stats = createSshStats();
  shell = await connectHost(box.targets[0]!, {
    knownHostsFile: box.state.knownHosts,
    acceptNewHostKeys: false,
    readyTimeoutMs: 10_000,
    stats,
  });
  docker = await connectDocker(shell, { socketPath: box.dockerSockets[0]! });
});

afterAll(async () => {
  if (docker) {
    const containers = await docker.listContainers({ labels: LABELS });
    await Promise.all(containers.map((c) => docker.removeContainer(c.id)));
    const networks = await docker.listNetworks({ labels: LABELS });
    await Promise.all(networks.map((n) => docker.removeNetwork(n.id)));
    const volumes = await docker.listVolumes({ labels: LABELS });
    await Promise.all(volumes.map((v) => docker.removeVolume(v.name)));
    expect(await docker.listContainers({ labels: LABELS })).toEqual([]);
    await docker.close();
  }
  await shell?.close();
});

describe('DockerClient over one SSH connection', () => {
  it('opens a raw unix socket to the Engine over SSH', async () => {
    const sock = await shell.openUnixSocket(box.dockerSockets[0]!);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      sock.on('data', (c: Buffer) => (text += c.toString()));
      sock.on('end', () => resolve(text));
      sock.on('error', reject);
      sock.end('GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n');
    });
    expect(answer).toMatch(/^HTTP\/1\.[01] 200/);
    expect(answer.endsWith('OK')).toBe(true);
  });

  it('reports version and info of the right daemon', async () => {
    const v = await docker.version();
    expect(v.apiVersion).toMatch(/^1\.\d+$/);
    expect(v.os).toBe('linux');
    const info = await docker.info();
    expect(info.id).toBe(box.state.hosts[0]!.dockerId);
  });

  // How fast is measured by `npm run bench` (bench/docker-burst.bench.ts), not here.
  it('answers 100 concurrent API calls, on exactly one SSH connection', async () => {
    const before = stats.connectionsOpened;
    const infos = await Promise.all(Array.from({ length: 100 }, () => docker.info()));
    expect(infos).toHaveLength(100);
    expect(infos.every((i) => i.id === infos[0]!.id)).toBe(true);
    expect(stats.connectionsOpened).toBe(1);
    expect(stats.connectionsOpened - before).toBe(0);
  });

  it('says not found as undefined, and removing what is gone succeeds', async () => {
    expect(await docker.inspectContainer(`lab-test-missing-${RUN}`)).toBeUndefined();
    expect(await docker.inspectNetwork(`lab-test-missing-${RUN}`)).toBeUndefined();
    await docker.removeContainer(`lab-test-missing-${RUN}`);
    await docker.removeNetwork(`lab-test-missing-${RUN}`);
    expect(await docker.imageExists(BOX_IMAGE)).toBe(true);
    expect(await docker.imageExists('lab/no-such-image:0')).toBe(false);
  });

  it('creates, inspects and lists a labelled network; a duplicate is a clear error', async () => {
    const id = await docker.createNetwork({
      name: NET,
      driver: 'bridge',
      subnet: SUBNET,
      gateway: '198.19.99.1',
      options: {},
      labels: LABELS,
    });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const net = await docker.inspectNetwork(NET);
    expect(net).toMatchObject({
      id,
      name: NET,
      driver: 'bridge',
      subnet: SUBNET,
      gateway: '198.19.99.1',
      labels: LABELS,
    });
    expect((await docker.listNetworks({ labels: LABELS })).map((n) => n.name)).toContain(NET);

    const err = await docker
      .createNetwork({ name: NET, driver: 'bridge', options: {}, labels: LABELS })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toContain(
      `${box.targets[0]!.host}: POST /networks/create ${NET} failed: HTTP 409`,
    );
    expect(dockerStatusOf(err)).toBe(409);
  });

  it('creates a container with a static IP, starts it, and inspects it', async () => {
    const id = await docker.createContainer({
      name: CONTAINER,
      image: BOX_IMAGE,
      labels: LABELS,
      network: { name: NET, ipv4: '198.19.99.10' },
      interactive: true,
    });
    await docker.startContainer(CONTAINER);
    await docker.startContainer(CONTAINER); // already running: fine
    const c = await docker.inspectContainer(CONTAINER);
    expect(c).toMatchObject({
      id,
      name: CONTAINER,
      image: BOX_IMAGE,
      labels: LABELS,
      running: true,
    });
    expect(c!.pid).toBeGreaterThan(0);
    expect(c!.networks[NET]).toMatchObject({
      ipv4: '198.19.99.10',
      prefixLength: 24,
      gateway: '198.19.99.1',
    });
    const net = await docker.inspectNetwork(NET);
    expect(net?.containers).toEqual([{ name: CONTAINER, ipv4: '198.19.99.10' }]);
    expect((await docker.listContainers({ labels: LABELS })).map((x) => x.name)).toEqual([
      CONTAINER,
    ]);
  });

  it('pings the other box host from inside the container', async () => {
    const other = box.state.hosts[1]!.address;
    const r = await docker.exec(CONTAINER, ['ping', '-c', '1', '-W', '2', other], {
      timeoutMs: 10_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${other}`);
    expect(r.exitCode).toBe(0);
  });

  it('returns exec exit codes and stderr; a slow exec times out', async () => {
    expect(
      await docker.exec(CONTAINER, ['sh', '-c', 'echo out; echo err >&2; exit 3']),
    ).toMatchObject({
      exitCode: 3,
      stdout: 'out\n',
      stderr: 'err\n',
    });
    const slow = await docker.exec(CONTAINER, ['sleep', '5'], { timeoutMs: 300 });
    expect(slow).toMatchObject({ exitCode: null, timedOut: true });
  });

  it('connects and disconnects a second network with a static IP', async () => {
    await docker.createNetwork({
      name: NET2,
      driver: 'bridge',
      subnet: SUBNET2,
      options: {},
      labels: LABELS,
    });
    await docker.connectNetwork(NET2, CONTAINER, '198.19.98.20');
    expect((await docker.inspectContainer(CONTAINER))?.networks[NET2]?.ipv4).toBe('198.19.98.20');
    await docker.disconnectNetwork(NET2, CONTAINER);
    expect((await docker.inspectContainer(CONTAINER))?.networks[NET2]).toBeUndefined();
  });

  it('keeps labelled volumes', async () => {
    await docker.createVolume({
      name: VOLUME,
      labels: { ...LABELS, 'lab.nic.saved': 'eth0 up promisc' },
    });
    const vols = await docker.listVolumes({ labels: LABELS });
    expect(vols).toEqual([
      { name: VOLUME, labels: { ...LABELS, 'lab.nic.saved': 'eth0 up promisc' } },
    ]);
    await docker.removeVolume(VOLUME);
    expect(await docker.listVolumes({ labels: LABELS })).toEqual([]);
  });

  it('removes the container and the networks it made', async () => {
    await docker.removeContainer(CONTAINER);
    expect(await docker.inspectContainer(CONTAINER)).toBeUndefined();
    await docker.removeNetwork(NET);
    await docker.removeNetwork(NET2);
    expect(await docker.listNetworks({ labels: LABELS })).toEqual([]);
  });

  it('still used one SSH connection for all of it', () => {
    expect(stats.connectionsOpened).toBe(1);
    expect(stats.unixSocketsOpened).toBeGreaterThan(0);
  });
});

describe('the local floor: the same client over the Engine socket, no SSH', () => {
  it('talks to the same daemon', async () => {
    const local = await createLocalDockerClient(box.localDockerSockets[0]!, box.targets[0]!.host);
    try {
      expect((await local.info()).id).toBe(box.state.hosts[0]!.dockerId);
      const infos = await Promise.all(Array.from({ length: 100 }, () => local.info()));
      expect(infos).toHaveLength(100);
    } finally {
      await local.close();
    }
  });
});
