import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { createLocalDockerClient } from './connect-docker.js';
import type { DockerClient } from './docker-client.js';
import { dockerStatusOf } from './docker-errors.js';

/**
 * A fake Engine on a unix socket: enough of the API, answering as Docker 1.13 (API 1.26) does unless
 * told otherwise, and recording what it was asked.
 */
interface Seen {
  method: string;
  url: string;
  body: unknown;
}

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** The responses a `run` holds open until its container is started (and ends at once). */
interface Held {
  attach?: ServerResponse;
  wait?: ServerResponse;
}

function fakeEngine(apiVersion: string, seen: Seen[], held: Held = {}) {
  const prefix = `/v${apiVersion}`;
  return async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    const body: unknown = text ? JSON.parse(text) : undefined;
    const url = req.url ?? '';
    seen.push({ method: req.method ?? '', url, body });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url === '/version')
      return json(200, {
        Version: '1.13.1',
        ApiVersion: apiVersion,
        Os: 'linux',
        KernelVersion: '3.10.0',
      });
    if (!url.startsWith(`${prefix}/`))
      return json(400, { message: `unversioned or wrong version: ${url}` });
    const path = url.slice(prefix.length);
    const route = `${req.method} ${path.split('?')[0]}`;
    switch (route) {
      case 'GET /version':
        return json(200, {
          Version: '1.13.1',
          ApiVersion: apiVersion,
          Os: 'linux',
          KernelVersion: '3.10.0',
        });
      case 'GET /info':
        return json(200, {
          ID: 'AAAA:BBBB',
          Name: 'server1',
          Swarm: { LocalNodeState: 'inactive' },
        });
      case 'GET /images/lab/busybox:latest/json':
        return json(200, { Id: 'sha256:1' });
      case 'GET /networks/mac_net1':
        return json(200, {
          Id: 'n1',
          Name: 'mac_net1',
          Driver: 'macvlan',
          IPAM: { Config: [{ Subnet: '198.18.10.0/24' }] },
          Labels: {},
          Options: {},
        });
      case 'GET /networks':
        return json(200, [{ Id: 'n1', Name: 'mac_net1', Driver: 'macvlan', Containers: {} }]);
      case 'POST /networks/create':
        return (body as { Name: string }).Name === 'dup'
          ? json(409, { message: 'network with name dup already exists' })
          : json(201, { Id: 'new-net', Warning: '' });
      case 'GET /containers/json':
        return json(200, [{ Id: 'c1' }, { Id: 'gone' }]);
      case 'GET /containers/c1/json':
        return json(200, {
          Id: 'c1',
          Name: '/vm4',
          State: { Running: true, Pid: 77 },
          Config: { Image: 'lab/busybox:latest', Labels: {} },
        });
      case 'POST /containers/create':
        return json(201, { Id: 'c-new', Warnings: null });
      case 'POST /containers/c-new/attach':
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
        res.flushHeaders();
        held.attach = res;
        return;
      case 'POST /containers/c-new/wait':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
        held.wait = res;
        return;
      case 'POST /containers/c-new/start':
        // The container prints, exits with 3, and (AutoRemove) is gone.
        held.attach?.write(frame(1, '@@lab 1 0 1 - 0 eth0\n'));
        held.attach?.end(frame(2, 'note\n'));
        held.wait?.end(JSON.stringify({ StatusCode: 3 }));
        res.writeHead(204);
        return res.end();
      case 'POST /containers/vm4/start':
        res.writeHead(304);
        return res.end();
      case 'POST /containers/vm4/exec': {
        const first = (body as { Cmd: string[] }).Cmd[0];
        const ids: Record<string, string> = { sleep: 'e-hang', slow: 'e-slow', stuck: 'e-stuck' };
        return json(201, { Id: ids[first ?? ''] ?? 'e1' });
      }
      case 'POST /exec/e-slow/start':
      case 'POST /exec/e-stuck/start':
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
        return res.end(frame(1, 'done\n'));
      case 'GET /exec/e-slow/json': {
        // Still marked running for the first two asks after its output ended.
        const asked = seen.filter((s) => s.url.endsWith('/exec/e-slow/json')).length;
        return json(200, asked <= 2 ? { Running: true } : { Running: false, ExitCode: 3 });
      }
      case 'GET /exec/e-stuck/json':
        return json(200, { Running: true });
      case 'POST /exec/e1/start':
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
        res.write(frame(1, 'PING 198.18.0.2: 56 data bytes\n'));
        res.write(frame(2, 'warning: ✓\n'));
        return res.end(frame(1, '1 packets received\n'));
      case 'POST /exec/e-hang/start':
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
        res.write(frame(1, 'started\n'));
        return; // never ends
      case 'GET /exec/e1/json':
        return json(200, { Running: false, ExitCode: 0 });
      case 'GET /volumes':
        return json(200, { Volumes: [{ Name: 'v1', Labels: null }], Warnings: null });
      default:
        return json(404, { message: `no such object: ${path}` });
    }
  };
}

let dir: string;
const servers: Server[] = [];
const clients: DockerClient[] = [];

async function engine(apiVersion: string) {
  const seen: Seen[] = [];
  const socket = join(dir, `engine-${servers.length}.sock`);
  const held: Held = {};
  const server = createServer((req, res) => void fakeEngine(apiVersion, seen, held)(req, res));
  let connections = 0;
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  const client = await createLocalDockerClient(socket, 'server1', {
    execTimeoutMs: 2_000,
    maxConnections: 4,
  });
  clients.push(client);
  return { client, seen, connections: () => connections };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-engine-'));
});
afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await rm(dir, { recursive: true, force: true });
});

describe('EngineClient against a fake Engine', () => {
  it('asks /version first, then pins every request to the negotiated API version', async () => {
    const { client, seen } = await engine('1.26');
    expect(await client.info()).toEqual({ id: 'AAAA:BBBB', name: 'server1', swarm: 'inactive' });
    expect(seen.map((s) => s.url)).toEqual(['/version', '/v1.26/info']);
    expect((await client.version()).apiVersion).toBe('1.26');
  });

  it('caps a newer engine at our newest API version', async () => {
    const { client, seen } = await engine('1.47');
    await client.info();
    expect(seen.at(-1)?.url).toBe('/v1.47/info');
  });

  it('returns undefined for 404 on inspect and succeeds removing what is gone', async () => {
    const { client } = await engine('1.26');
    expect(await client.inspectNetwork('missing')).toBeUndefined();
    expect(await client.inspectContainer('missing')).toBeUndefined();
    await expect(client.removeContainer('missing')).resolves.toBeUndefined();
    await expect(client.removeNetwork('missing')).resolves.toBeUndefined();
    await expect(client.removeVolume('missing')).resolves.toBeUndefined();
    expect(await client.imageExists('lab/busybox:latest')).toBe(true);
    expect(await client.imageExists('lab/nope:1')).toBe(false);
  });

  it('turns an Engine refusal into a LabError naming host, operation, status and message', async () => {
    const { client } = await engine('1.26');
    const err = await client
      .createNetwork({ name: 'dup', driver: 'bridge', options: {}, labels: {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toBe(
      'server1: POST /networks/create dup failed: HTTP 409: network with name dup already exists',
    );
    expect((err as LabError).context.command).toBe('POST /networks/create dup');
    expect(dockerStatusOf(err)).toBe(409);
  });

  it('sends create bodies as JSON bodies, names and filters as query parameters', async () => {
    const { client, seen } = await engine('1.26');
    expect(
      await client.createContainer({
        name: 'vm4',
        image: 'lab/busybox:latest',
        labels: { a: 'b' },
        network: { name: 'n', ipv4: '198.18.10.4' },
      }),
    ).toBe('c-new');
    const create = seen.at(-1)!;
    expect(create.url).toBe('/v1.26/containers/create?name=vm4');
    expect(create.body).toMatchObject({
      Image: 'lab/busybox:latest',
      NetworkingConfig: { EndpointsConfig: { n: { IPAMConfig: { IPv4Address: '198.18.10.4' } } } },
    });
    await client.listNetworks({ labels: { 'lab.managed': 'true' } });
    const url = new URL(seen.at(-1)!.url, 'http://x');
    expect(JSON.parse(url.searchParams.get('filters')!)).toEqual({ label: ['lab.managed=true'] });
    expect(await client.listVolumes()).toEqual([{ name: 'v1', labels: {} }]);
  });

  it('lists containers by inspecting each, dropping one removed in between', async () => {
    const { client } = await engine('1.26');
    const list = await client.listContainers();
    expect(list.map((c) => [c.name, c.pid])).toEqual([['vm4', 77]]);
  });

  it('treats starting a running container as done (304)', async () => {
    const { client } = await engine('1.26');
    await expect(client.startContainer('vm4')).resolves.toBeUndefined();
  });

  it('runs exec: demultiplexed stdout and stderr, exit code from inspect', async () => {
    const { client, seen } = await engine('1.26');
    const r = await client.exec('vm4', ['ping', '-c', '1', '-W', '2', '198.18.0.2']);
    expect(r).toMatchObject({
      exitCode: 0,
      stdout: 'PING 198.18.0.2: 56 data bytes\n1 packets received\n',
      stderr: 'warning: ✓\n',
    });
    expect(seen.find((s) => s.url.endsWith('/exec'))?.body).toEqual({
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      Cmd: ['ping', '-c', '1', '-W', '2', '198.18.0.2'],
    });
  });

  it('asks for the exit code again while the Engine still marks the exec running, for half a second', async () => {
    const { client, seen } = await engine('1.26');
    const slow = await client.exec('vm4', ['slow']);
    expect(slow).toMatchObject({ exitCode: 3, stdout: 'done\n' });
    expect(seen.filter((s) => s.url.endsWith('/exec/e-slow/json'))).toHaveLength(3);
    const started = performance.now();
    const stuck = await client.exec('vm4', ['stuck']);
    const waited = performance.now() - started;
    expect(stuck.exitCode).toBeNull();
    expect(stuck.timedOut).toBeUndefined();
    expect(waited).toBeGreaterThanOrEqual(500);
    const asks = seen.filter((s) => s.url.endsWith('/exec/e-stuck/json')).length;
    expect(asks).toBeGreaterThan(2);
    expect(asks).toBeLessThanOrEqual(21);
  });

  it('runs a container to its end: attached before start, output and exit code', async () => {
    const { client, seen } = await engine('1.41');
    const r = await client.run({
      name: 'probe',
      image: 'lab/busybox:latest',
      labels: {},
      command: ['sh', '-c', 'true'],
      networkMode: 'container:c1',
      autoRemove: true,
    });
    expect(r).toMatchObject({ exitCode: 3, stdout: '@@lab 1 0 1 - 0 eth0\n', stderr: 'note\n' });
    expect(seen.map((x) => `${x.method} ${x.url.split('?')[0]}`).slice(-4)).toEqual([
      'POST /v1.41/containers/create',
      'POST /v1.41/containers/c-new/attach',
      'POST /v1.41/containers/c-new/wait',
      'POST /v1.41/containers/c-new/start',
    ]);
    expect(seen.find((x) => x.url.includes('/wait'))?.url).toContain('condition=next-exit');
  });

  it('runs a container on an old engine: no wait, so no exit code, output all the same', async () => {
    const { client, seen } = await engine('1.26');
    const r = await client.run({ name: 'probe', image: 'i', labels: {}, autoRemove: true });
    expect(r).toMatchObject({ exitCode: null, stdout: '@@lab 1 0 1 - 0 eth0\n' });
    expect(seen.some((x) => x.url.includes('/wait'))).toBe(false);
  });

  it('times an exec out: exitCode null, output so far', async () => {
    const { client } = await engine('1.26');
    const r = await client.exec('vm4', ['sleep', '100'], { timeoutMs: 200 });
    expect(r).toMatchObject({ exitCode: null, timedOut: true, stdout: 'started\n' });
  });

  it('fails exec in a missing container with a LabError', async () => {
    const { client } = await engine('1.26');
    await expect(client.exec('nope', ['true'])).rejects.toThrow(
      'server1: no container nope to run `true` in',
    );
  });

  it('keeps connections alive: 100 concurrent calls over at most maxConnections sockets', async () => {
    const { client, connections } = await engine('1.26');
    const infos = await Promise.all(Array.from({ length: 100 }, () => client.info()));
    expect(infos).toHaveLength(100);
    expect(connections()).toBeLessThanOrEqual(4 + 1);
  });

  it('says the Engine cannot be reached when the socket is not there', async () => {
    const err = await createLocalDockerClient(join(dir, 'none.sock'), 'server9').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).kind).toBe('host');
    expect((err as LabError).message).toContain(
      'server9: cannot reach the Docker Engine for GET /version',
    );
  });
});
