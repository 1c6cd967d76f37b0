import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeName } from '../bridge.js';
import { createLocalDockerClient } from '../connect-docker.js';
import type { DockerClient } from '../docker-client.js';
import { DOCKER_ENGINE, PODMAN_ENGINE, detectEngineKind, engineLabel } from './index.js';
import { completeNetwork } from './podman.js';
import type { NetworkFacts } from './engine-profile.js';

/** Podman 4.3.1's own answers, recorded on the box (test/recorded/podman-4.3.1/README.md). */
const RECORDED = join(import.meta.dirname, '../../../test/recorded/podman-4.3.1');
const recorded = async (name: string): Promise<unknown> =>
  JSON.parse(await readFile(join(RECORDED, name), 'utf8')) as unknown;

interface Seen {
  method: string;
  url: string;
  body: unknown;
}

/** A fake Podman service: the recorded answers, on the paths Podman serves them. */
async function fakePodman(seen: Seen[]): Promise<Server> {
  const answers: Record<string, string> = {
    'GET /version': 'version.json',
    'GET /v1.41/version': 'version.json',
    'GET /v1.41/networks/bridge': 'compat-network-bridge.json',
    'GET /v1.41/networks/my_net1': 'compat-network-my_net1.json',
    'GET /v1.41/networks/mac_net1': 'compat-network-mac_net1.json',
    'GET /v4.0.0/libpod/networks/json': 'libpod-networks.json',
    'GET /v1.41/containers/web/json': 'compat-container-web.json',
    'GET /v1.41/containers/vm5/json': 'compat-container-vm5.json',
  };
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const url = req.url ?? '';
      seen.push({ method: req.method ?? '', url, body: text ? JSON.parse(text) : undefined });
      const route = `${req.method} ${url.split('?')[0]}`;
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const file = answers[route];
      if (file) return void recorded(file).then((v) => send(200, v));
      if (route === 'POST /v1.41/containers/create') return send(201, { Id: 'c1', Warnings: [] });
      if (route === 'POST /v1.41/networks/podman/connect') return send(200, 'OK');
      if (route === 'POST /v1.41/networks/create')
        return void recorded('compat-network-create-duplicate.json').then((v) => send(500, v));
      send(404, { message: `no route ${route}`, response: 404 });
    });
  });
}

describe('engine profiles: Podman 4.3.1 as recorded', () => {
  let dir: string;
  let server: Server;
  let client: DockerClient;
  const seen: Seen[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-podman-'));
    const socket = join(dir, 'podman.sock');
    server = await fakePodman(seen);
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    client = await createLocalDockerClient(socket, 'server2');
  });

  afterAll(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('recognises Podman from /version and names it so', async () => {
    expect(client.engine.kind).toBe('podman');
    const v = await client.version();
    expect(v).toMatchObject({ kind: 'podman', product: 'Podman', version: '4.3.1' });
    expect(engineLabel(v)).toBe('Podman 4.3.1');
  });

  it('reads the macvlan parent and the bridge interfaces from libpod, which the compat API drops', async () => {
    const mac = await client.inspectNetwork('mac_net1');
    expect(mac?.options.parent).toBe('eth0');
    const mine = await client.inspectNetwork('my_net1');
    expect(mine && bridgeName(mine)).toBe('podman1');
    const def = await client.inspectNetwork('bridge');
    expect(def?.name).toBe('bridge');
    expect(def && bridgeName(def)).toBe('podman0');
    expect(seen.some((s) => s.url === '/v4.0.0/libpod/networks/json')).toBe(true);
    // Whether aardvark-dns answers there: libpod's dns_enabled (the default network: never).
    expect([def?.dns, mine?.dns, mac?.dns]).toEqual([false, true, false]);
    // Neither bridge has netavark's isolate (my_net1 was recorded before lab asked for it).
    expect(def?.notIsolated).toMatch(
      /^bridge \(Podman’s default network, podman\) has no isolate option, and Podman’s netavark forwards/,
    );
    expect(mine?.notIsolated).toMatch(/^my_net1 has no isolate option/);
    expect(mac?.notIsolated).toBeUndefined();
  });

  it('creates a bridge network with netavark’s isolate, so that bridges stay apart as on Docker', async () => {
    await client
      .createNetwork({ name: 'my_net9', driver: 'bridge', options: {}, labels: {} })
      .catch(() => undefined);
    await client
      .createNetwork({
        name: 'mac_net9',
        driver: 'macvlan',
        options: { parent: 'eth0' },
        labels: {},
      })
      .catch(() => undefined);
    const bodies = seen
      .filter((s) => s.url.startsWith('/v1.41/networks/create'))
      .map((s) => s.body);
    expect(bodies).toEqual([
      expect.objectContaining({ Name: 'my_net9', Options: { isolate: 'true' } }),
      expect.objectContaining({ Name: 'mac_net9', Options: { parent: 'eth0' } }),
    ]);
    const own = { name: 'my_net9', id: 'n9', network_interface: 'podman9' };
    const n: NetworkFacts = { id: 'n9', driver: 'bridge', options: {} };
    expect(
      completeNetwork(n, { ...own, options: { isolate: 'true' } }).notIsolated,
    ).toBeUndefined();
    expect(
      completeNetwork(n, { ...own, options: { isolate: 'strict' } }).notIsolated,
    ).toBeUndefined();
    expect(completeNetwork(n, own).notIsolated).toMatch(/^my_net9 has no isolate option/);
    // libpod 4.3.1 left the option out of lab's own networks on the box: their label says lab made them.
    const labs = { ...own, labels: { 'lab.managed': 'true' } };
    expect(completeNetwork(n, labs).notIsolated).toBeUndefined();
    expect(DOCKER_ENGINE.networkOptions('bridge')).toEqual({});
  });

  it('names the default network `bridge` in container facts, as scenarios do', async () => {
    const web = await client.inspectContainer('web');
    expect(Object.keys(web?.networks ?? {})).toEqual(['bridge']);
    expect(web?.networks.bridge?.ipv4).toBe('198.19.160.2');
    const vm5 = await client.inspectContainer('vm5');
    expect(Object.keys(vm5?.networks ?? {}).sort()).toEqual(['bridge', 'my_net1']);
  });

  it('sends the default network under Podman’s own name (its compat API refuses `bridge` there)', async () => {
    await client.createContainer({
      name: 'vm3',
      image: 'lab/busybox:latest',
      labels: {},
      network: { name: 'bridge', ipv4: '198.19.160.10' },
    });
    const create = seen.find((s) => s.url.startsWith('/v1.41/containers/create'));
    expect(create?.body).toMatchObject({
      HostConfig: { NetworkMode: 'podman' },
      NetworkingConfig: {
        EndpointsConfig: { podman: { IPAMConfig: { IPv4Address: '198.19.160.10' } } },
      },
    });
    await client.connectNetwork('bridge', 'vm3');
    expect(seen.some((s) => s.url === '/v1.41/networks/podman/connect')).toBe(true);
  });

  it('knows a taken name by Podman’s 500, Docker’s by 409', async () => {
    const dup = (await recorded('compat-network-create-duplicate.json')) as { message: string };
    expect(PODMAN_ENGINE.isNameConflict(500, dup.message)).toBe(true);
    expect(PODMAN_ENGINE.isNameConflict(500, 'no such image')).toBe(false);
    expect(DOCKER_ENGINE.isNameConflict(409, 'network with name x already exists')).toBe(true);
    expect(DOCKER_ENGINE.isNameConflict(500, dup.message)).toBe(false);
  });
});

describe('engine profiles', () => {
  it('tells Docker from Podman by /version’s components', () => {
    expect(detectEngineKind({ Components: [{ Name: 'Podman Engine' }] })).toBe('podman');
    expect(detectEngineKind({ Components: [{ Name: 'Engine' }, { Name: 'containerd' }] })).toBe(
      'docker',
    );
    // Docker 1.13 has no components at all.
    expect(detectEngineKind({})).toBe('docker');
  });

  it('places the seed’s NAT chains and docker-proxy on each engine', () => {
    expect(DOCKER_ENGINE.natChain('nat', 'DOCKER')).toEqual({
      chain: 'DOCKER',
      followJumps: false,
    });
    expect(PODMAN_ENGINE.natChain('nat', 'DOCKER')).toMatchObject({
      chain: 'NETAVARK-HOSTPORT-DNAT',
      followJumps: true,
    });
    expect(PODMAN_ENGINE.natChain('nat', 'POSTROUTING').chain).toBe('POSTROUTING');
    expect(DOCKER_ENGINE.portProcess('docker-proxy').process).toBe('docker-proxy');
    expect(PODMAN_ENGINE.portProcess('docker-proxy').process).toBe('conmon');
  });

  it('says what Podman accepts that the seed’s Docker refuses', () => {
    expect(DOCKER_ENGINE.accepts('static-ip-on-default-network')).toBeUndefined();
    expect(PODMAN_ENGINE.accepts('static-ip-on-default-network')).toMatch(/static address/);
    expect(PODMAN_ENGINE.accepts('second-macvlan-on-parent')).toMatch(/second macvlan/);
  });

  it('says why a name did not resolve on Podman, from networks and name servers as the box showed them', () => {
    // bridge-connect on the box (podman 4.3.1, aardvark-dns 1.4): vm1 on my_net1 and my_net2, its
    // resolv.conf naming my_net1's gateway first; vm2 on my_net2; vm5 on the default network only.
    const networks = [
      { name: 'bridge', gateway: '198.19.128.1', dns: false },
      { name: 'my_net1', gateway: '198.19.129.1', dns: true },
      { name: 'my_net2', gateway: '198.19.20.1', dns: true },
    ];
    const vm1 = {
      container: 'vm1',
      networks: ['my_net1', 'my_net2'],
      nameservers: ['198.19.129.1', '198.19.20.1', '198.18.0.254'],
    };
    const explain = PODMAN_ENGINE.unresolvedName!;
    expect(
      explain({ asker: vm1, target: { container: 'vm2', networks: ['my_net2'] }, networks }),
    ).toBe(
      'vm1 asks aardvark-dns at 198.19.129.1 (the gateway of my_net1, first of its name servers) for vm2.dns.podman; there Podman answers only for containers on my_net1, vm2 is on my_net2, and the NXDOMAIN ends the lookup (the seed’s Docker answers at 127.0.0.11 for every network of the asker)',
    );
    expect(
      explain({ asker: vm1, target: { container: 'vm5', networks: ['bridge'] }, networks }),
    ).toBe(
      'Podman runs no name server on bridge (Podman’s default network, podman), the network vm5 is on (dns_enabled false), so no aardvark-dns knows its name',
    );
    const vm4 = { container: 'vm4', networks: ['bridge'], nameservers: ['198.18.0.254'] };
    expect(
      explain({ asker: vm4, target: { container: 'vm1', networks: ['my_net1'] }, networks }),
    ).toMatch(/^Podman runs no name server on bridge .*, the network vm4 is on/);
    // A name on the network of the first name server: nothing of Podman explains its failure.
    expect(
      explain({ asker: vm1, target: { container: 'vm8', networks: ['my_net1'] }, networks }),
    ).toBeUndefined();
    expect(DOCKER_ENGINE.unresolvedName).toBeUndefined();
  });
});
