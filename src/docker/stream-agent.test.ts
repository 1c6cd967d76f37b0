import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PendingStream } from './pending-stream.js';
import { StreamAgent } from './stream-agent.js';

let dir: string;
let server: Server;
let socket: string;
let serverConnections = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-agent-'));
  socket = join(dir, 'engine.sock');
  server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`you asked ${req.url}`);
  });
  server.on('connection', () => serverConnections++);
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Like an SSH channel: the stream arrives a little later than asked for. */
function slowOpener(opened: { count: number }, delayMs = 10): () => Duplex {
  return () => {
    opened.count++;
    return new PendingStream(
      new Promise((resolve) => setTimeout(() => resolve(connect(socket)), delayMs)),
    );
  };
}

function get(agent: StreamAgent, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, socketPath: '/placeholder', path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('StreamAgent', () => {
  it('is cheap to inspect (docker-modem inspects it on every request)', () => {
    const agent = new StreamAgent(() => connect(socket), 'server1:/run/docker.sock', {
      maxSockets: 4,
    });
    expect(inspect(agent, { showHidden: true, depth: null })).toBe(
      'StreamAgent(server1:/run/docker.sock)',
    );
    agent.destroy();
  });

  it('serves a burst of 100 requests over at most maxSockets slow-opening streams, reused', async () => {
    const opened = { count: 0 };
    const before = serverConnections;
    const agent = new StreamAgent(slowOpener(opened), 'test', { maxSockets: 4 });
    const bodies = await Promise.all(Array.from({ length: 100 }, (_, i) => get(agent, `/r${i}`)));
    expect(bodies[42]).toBe('you asked /r42');
    expect(opened.count).toBe(4);
    expect(serverConnections - before).toBe(4);
    // Kept alive: the next request reuses a stream.
    await get(agent, '/again');
    expect(opened.count).toBe(4);
    agent.destroy();
  });

  it("fails the request with the opener's error when the stream cannot be opened", async () => {
    const agent = new StreamAgent(
      () => new PendingStream(Promise.reject(new Error('cannot open the unix socket'))),
      'test',
      { maxSockets: 2 },
    );
    await expect(get(agent, '/x')).rejects.toThrow('cannot open the unix socket');
    agent.destroy();
  });
});
