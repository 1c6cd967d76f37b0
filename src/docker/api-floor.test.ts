import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_FEATURES, MIN_API_VERSION } from './api-version.js';
import { createLocalDockerClient } from './connect-docker.js';

/**
 * The API floor and the negotiation against what real engines answer: the recorded /version and
 * /_ping responses of test/unit/fixtures/engines (README there says which are recordings), replayed
 * byte for byte on a unix socket. Versioned calls get a minimal success, and every request is kept.
 */
const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'unit', 'fixtures', 'engines');

interface Replay {
  server: Server;
  socket: string;
  seen: string[];
}

async function replay(dir: string, engine: string): Promise<Replay> {
  const version = await readFile(join(FIXTURES, `docker-${engine}-version.http`));
  const ping = await readFile(join(FIXTURES, `docker-${engine}-ping.http`)).catch(() => version);
  const seen: string[] = [];
  const answer = (conn: Socket, raw: Buffer) => {
    // One request per connection: the recording is replayed with "Connection: close" added.
    const text = raw.toString('latin1');
    const at = text.indexOf('\r\n');
    conn.end(Buffer.from(`${text.slice(0, at)}\r\nConnection: close${text.slice(at)}`, 'latin1'));
  };
  const json = (conn: Socket, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    conn.end(
      `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  };
  const server = createServer((conn) => {
    let head = '';
    conn.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const [method = '', url = ''] = head.split(' ');
      seen.push(`${method} ${url.split('?')[0]}`);
      if (url === '/version') return answer(conn, version);
      if (url === '/_ping') return answer(conn, ping);
      if (/^\/v[\d.]+\/containers\/create/.test(url)) return json(conn, 201, { Id: 'c1' });
      if (/^\/v[\d.]+\/swarm\/init/.test(url)) return json(conn, 200, 'node1');
      return json(conn, 404, { message: `not replayed: ${url}` });
    });
  });
  const socket = join(dir, `${engine}.sock`);
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { server, socket, seen };
}

const ENGINES = [
  { engine: '1.13.1', api: '1.26', release: 'RHEL 7' },
  { engine: '17.03.1-ce', api: '1.27', release: 'Docker CE 17.03' },
  { engine: '20.10.24', api: '1.41', release: 'Debian 12' },
  { engine: '26.1.5', api: '1.45', release: 'Debian 13' },
] as const;

describe('the Engine API floor, against recorded engine answers', () => {
  let dir: string;
  const replays = new Map<string, Replay>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-api-floor-'));
    for (const e of [...ENGINES.map((x) => x.engine), '1.12.6'])
      replays.set(e, await replay(dir, e));
  });
  afterAll(async () => {
    for (const r of replays.values()) r.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(ENGINES)('speaks $engine ($release) its own API $api, on every call', async (e) => {
    const r = replays.get(e.engine)!;
    const client = await createLocalDockerClient(r.socket, 'server1');
    try {
      expect(client.apiVersion).toBe(e.api);
      await client.createContainer({ name: 'vm1', image: 'lab/busybox', labels: {} });
      expect(r.seen.at(-1)).toBe(`POST /v${e.api}/containers/create`);
    } finally {
      await client.close();
    }
  });

  it('refuses an engine older than the floor, naming its version and the floor', async () => {
    const r = replays.get('1.12.6')!;
    const refused = createLocalDockerClient(r.socket, 'server1');
    await expect(refused).rejects.toThrow(
      `server1: the Docker Engine 1.12.6 speaks API 1.24; lab needs ${MIN_API_VERSION} or newer (Docker 1.13)`,
    );
    // A refusal before any change: lab run ends NOT RUN, exit 2 (run-report.ts REFUSALS).
    await expect(refused).rejects.toMatchObject({ kind: 'prerequisite' });
    expect(r.seen).toEqual(['GET /version']);
  });

  it.each(ENGINES)(
    'on $engine, asks for SCTP ports and a swarm address pool only if API $api has them',
    async (e) => {
      const r = replays.get(e.engine)!;
      const client = await createLocalDockerClient(r.socket, 'server1');
      try {
        const sctp = client.createContainer({
          name: 'vm2',
          image: 'lab/busybox',
          labels: {},
          publish: ['5000:5000/sctp'],
        });
        const pool = client.swarmInit({
          advertiseAddress: '198.18.0.1',
          defaultAddressPool: ['198.19.64.0/18'],
          subnetSize: 24,
        });
        const modern = Number(e.api.split('.')[1]) >= 39;
        if (modern) {
          await expect(sctp).resolves.toBe('c1');
          await expect(pool).resolves.toBe('node1');
        } else {
          await expect(sctp).rejects.toThrow(
            `server1: publishing SCTP ports needs Engine API ${API_FEATURES.sctpPorts.since} (Docker 18.03) or newer; server1 speaks API ${e.api}`,
          );
          await expect(pool).rejects.toThrow(
            /DefaultAddrPool .* needs Engine API 1\.39 \(Docker 18\.09\)/,
          );
          // Refused before sending: an old engine would ignore DefaultAddrPool and pick 10.0.0.0/8.
          expect(r.seen.filter((s) => s.includes('/swarm/init'))).toEqual([]);
        }
      } finally {
        await client.close();
      }
    },
  );

  it('finds the same API version in /_ping’s header as in /version', async () => {
    for (const engine of ['1.13.1', '20.10.24', '26.1.5']) {
      const ping = await readFile(join(FIXTURES, `docker-${engine}-ping.http`), 'latin1');
      const version = await readFile(join(FIXTURES, `docker-${engine}-version.http`), 'latin1');
      const header = /^Api-Version: (\S+)/im.exec(ping)?.[1];
      expect(version).toContain(`"ApiVersion":"${header}"`);
    }
  });
});
