import { afterEach, describe, expect, it } from 'vitest';
import { connectDocker, type DockerConnectOptions } from '../../src/docker/connect-docker.js';
import type { DockerClient } from '../../src/docker/docker-client.js';
import { isDockerNotRunning } from '../../src/docker/engine-down.js';
import { connectHost } from '../../src/ssh/connect.js';
import type { RemoteShell } from '../../src/ssh/host-shell.js';
import {
  deadEngineSocket,
  fakeDockerCli,
  startFakeEngine,
  type FakeEngine,
} from '../fakes/engine-host.js';
import { startSshServer, type TestSshServer } from '../fakes/ssh-server.js';

/**
 * The two ways to a host's Engine (socket forward, dial-stdio) when the host fails: a dead Engine is
 * said plainly before any dial-stdio process starts, and a lost connection ends every Engine channel
 * at once. On the real protocol (the in-process ssh2 server), with a stand-in docker CLI and Engine.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function host(options: { streamLocal: boolean }): Promise<TestSshServer> {
  const probe = await startSshServer();
  // The stand-in CLI lives in the server's own temporary directory, found through PATH.
  const PATH = await fakeDockerCli(probe.dir);
  const server = await startSshServer({ env: { PATH }, streamLocal: options.streamLocal });
  // Both directories go with their servers; the first server only lent its directory.
  cleanups.push(
    () => probe.close(),
    () => server.close(),
  );
  return server;
}

async function shellOf(
  server: TestSshServer,
  keepalive = { intervalMs: 2_000, countMax: 3 },
): Promise<RemoteShell> {
  const shell = await connectHost(
    {
      host: 'server2',
      address: '127.0.0.1',
      port: server.port,
      user: 'tester',
      privateKeyFile: server.clientKeyFile,
      become: false,
    },
    {
      knownHostsFile: server.knownHostsFile,
      acceptNewHostKeys: false,
      readyTimeoutMs: 20_000,
      commandTimeoutMs: 60_000,
      keepaliveIntervalMs: keepalive.intervalMs,
      keepaliveCountMax: keepalive.countMax,
    },
  );
  cleanups.push(() => shell.close());
  return shell;
}

async function docker(shell: RemoteShell, options: DockerConnectOptions): Promise<DockerClient> {
  const client = await connectDocker(shell, { requestTimeoutMs: 60_000, ...options });
  cleanups.push(() => client.close());
  return client;
}

const dialStdioRuns = (s: TestSshServer) => s.commands.filter((c) => c.includes('dial-stdio'));

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err as Error,
  );
}

describe('a dead Engine is "Docker is not running", never a reason for dial-stdio', () => {
  it('socket left behind by a killed dockerd (pidfile of a dead process), forwarding allowed', async () => {
    const server = await host({ streamLocal: true });
    const socketPath = await deadEngineSocket(server.dir, { pidfile: true });
    const err = await rejection(docker(await shellOf(server), { socketPath }));
    expect(isDockerNotRunning(err), err.message).toBe(true);
    expect(err.message).toBe('Docker is not running on server2');
    expect(dialStdioRuns(server)).toEqual([]);
  }, 30_000);

  it('socket left behind with no pidfile (nothing listens on it), forwarding refused', async () => {
    const server = await host({ streamLocal: false });
    const socketPath = await deadEngineSocket(server.dir, { pidfile: false });
    const err = await rejection(docker(await shellOf(server), { socketPath }));
    expect(isDockerNotRunning(err), err.message).toBe(true);
    expect(dialStdioRuns(server)).toEqual([]);
  }, 30_000);

  it('no socket at all, dial-stdio forced by the inventory', async () => {
    const server = await host({ streamLocal: true });
    const socketPath = `${server.dir}/docker.sock`;
    const err = await rejection(
      docker(await shellOf(server), { socketPath, transport: 'dial-stdio' }),
    );
    expect(isDockerNotRunning(err), err.message).toBe(true);
    expect(dialStdioRuns(server)).toEqual([]);
  }, 30_000);

  it('a live Engine behind a refused forward is reached by dial-stdio', async () => {
    const server = await host({ streamLocal: false });
    const engine = await startFakeEngine(server.dir);
    cleanups.push(() => engine.close());
    const client = await docker(await shellOf(server), { socketPath: engine.socketPath });
    expect(client.route).toMatchObject({ via: 'dial-stdio', sudo: false });
    expect(await client.listContainers()).toEqual([]);
    expect(dialStdioRuns(server).length).toBeGreaterThan(0);
  }, 30_000);
});

/** Waits until the Engine holds `count` requests (calls in flight). */
async function inFlight(engine: FakeEngine, count: number): Promise<void> {
  for (let i = 0; i < 200 && engine.held.length < count; i++)
    await new Promise((r) => setTimeout(r, 50));
  expect(engine.held.length).toBe(count);
}

describe('a lost connection ends every dial-stdio channel at once', () => {
  it('calls and exec streams in flight and queued fail with "connection … lost", none hangs', async () => {
    const server = await host({ streamLocal: false });
    const engine = await startFakeEngine(server.dir, { hold: true });
    cleanups.push(() => engine.close());
    const shell = await shellOf(server, { intervalMs: 200, countMax: 3 });
    const client = await docker(shell, { socketPath: engine.socketPath });
    expect(client.route?.via).toBe('dial-stdio');

    // An exec holds a stream on the exec pool; two calls fill the general pool (two channels) and
    // a third waits for one.
    const exec = rejection(client.exec('c1', ['sleep', '60'], { timeoutMs: 60_000 }));
    await inFlight(engine, 1);
    const calls = [client.listContainers(), client.listNetworks(), client.listVolumes()];
    const all = [exec, ...calls.map((p) => rejection(p))];
    await inFlight(engine, 3);

    const frozenAt = performance.now();
    server.freeze();
    const errors = await Promise.all(all);
    const ms = performance.now() - frozenAt;
    const lost = `connection to server2 (127.0.0.1:${server.port}) lost`;
    expect(shell.lost?.()).toBe(lost);
    for (const err of errors) expect(err.message).toContain(lost);
    // Three keepalives of 200 ms unanswered, then at once: far below the calls' 60 s.
    expect(ms).toBeLessThan(10_000);

    // A call after the loss fails at once, without a channel.
    const after = await rejection(client.info());
    expect(after.message).toContain(lost);
  }, 30_000);
});

/**
 * The hang host-lost.test.ts met on the socket forward (lab check past 120 s): ssh2 closes a channel
 * of a dead connection only once its output has been read to the end, and its destroy() only asks
 * the server. A kept-alive channel idle in the HTTP agent's pool was therefore never closed: the next
 * call went out on it, and even its own timeout could not fail it (Node's HTTP client waits for the
 * socket's 'close', which never came). Now every stream of a lost connection fails at once.
 */
describe('a lost connection ends every socket-forward channel at once', () => {
  const lostOf = (s: TestSshServer) => `connection to server2 (127.0.0.1:${s.port}) lost`;

  it('kept-alive channels idle in the pool: the next calls fail saying so, before their timeout', async () => {
    const server = await host({ streamLocal: true });
    const engine = await startFakeEngine(server.dir);
    cleanups.push(() => engine.close());
    const shell = await shellOf(server, { intervalMs: 200, countMax: 3 });
    // A timeout far below the test's: the old hang outlived even this.
    const client = await docker(shell, { socketPath: engine.socketPath, requestTimeoutMs: 8_000 });
    expect(client.route?.via).toBe('forward');
    // Calls one after another and at once leave channels kept alive in both pools.
    expect(await client.listContainers()).toEqual([]);
    await Promise.all([client.listNetworks(), client.listVolumes(), client.listContainers()]);

    server.freeze();
    for (let i = 0; i < 100 && !shell.lost?.(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(shell.lost?.()).toBe(lostOf(server));
    const started = performance.now();
    const errors = await Promise.all([
      rejection(client.listContainers()),
      rejection(client.listNetworks()),
      rejection(client.info()),
    ]);
    for (const err of errors) expect(err.message).toContain(lostOf(server));
    expect(performance.now() - started).toBeLessThan(2_000);
  }, 30_000);

  it('calls in flight on forwarded channels fail with "connection … lost", none hangs', async () => {
    const server = await host({ streamLocal: true });
    const engine = await startFakeEngine(server.dir, { hold: true });
    cleanups.push(() => engine.close());
    const shell = await shellOf(server, { intervalMs: 200, countMax: 3 });
    const client = await docker(shell, { socketPath: engine.socketPath });
    expect(client.route?.via).toBe('forward');
    const calls = [client.listContainers(), client.listNetworks(), client.listVolumes()];
    const all = calls.map((p) => rejection(p));
    await inFlight(engine, 3);

    const frozenAt = performance.now();
    server.freeze();
    const errors = await Promise.all(all);
    for (const err of errors) expect(err.message).toContain(lostOf(server));
    // Three keepalives of 200 ms unanswered, then at once: far below the calls' 60 s.
    expect(performance.now() - frozenAt).toBeLessThan(10_000);
  }, 30_000);
});
