import { spawn } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';

/**
 * What a host behind the in-process SSH server (ssh-server.ts) needs for lab's ways to its Engine:
 * a small Engine on a unix socket, a dead one (its socket file left behind, as a killed dockerd
 * leaves it), and a stand-in `docker` CLI whose `system dial-stdio` relays stdin/stdout to the socket
 * named by -H, as docker/cli's does.
 */
export interface FakeEngine {
  socketPath: string;
  /** Requests answered or held, as "GET /version". */
  seen: string[];
  /** Responses held open (`hold`), so a test can have requests in flight. */
  held: ServerResponse[];
  close(): Promise<void>;
}

/**
 * An Engine answering /version and /_ping. With `hold`, every other request is held open and never
 * answered (an API call or an exec stream in flight); else it answers 200 with an empty list.
 */
export async function startFakeEngine(dir: string, options: { hold?: boolean } = {}) {
  const socketPath = path.join(dir, 'docker.sock');
  const seen: string[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const route = `${req.method} ${(req.url ?? '').replace(/^\/v[\d.]+/, '').split('?')[0]}`;
    seen.push(route);
    req.resume();
    if (route === 'GET /version') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ Version: '24.0.7', ApiVersion: '1.43', MinAPIVersion: '1.12' }));
    } else if (route === 'GET /_ping') {
      res.end('OK');
    } else if (route.startsWith('POST /containers/') && route.endsWith('/exec')) {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ Id: 'exec1' }));
    } else if (options.hold) {
      held.push(res);
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('[]');
    }
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const engine: FakeEngine = {
    socketPath,
    seen,
    held,
    close: async () => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return engine;
}

/**
 * A dead Engine: a process bound the socket and was killed, so the socket file stays and nothing
 * listens on it. With `pidfile`, its pid is left in docker.pid beside the socket, as dockerd's is.
 */
export async function deadEngineSocket(dir: string, options: { pidfile: boolean }) {
  const socketPath = path.join(dir, 'docker.sock');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('net').createServer().listen(process.argv[1], () => console.log('up'))`,
      socketPath,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', () => reject(new Error('the stand-in engine did not start')));
  });
  if (options.pidfile) await writeFile(path.join(dir, 'docker.pid'), `${child.pid}\n`);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return socketPath;
}

/**
 * A `docker` CLI on PATH in `dir`/bin: `docker --version`, and `docker -H unix://SOCK system
 * dial-stdio` relaying to SOCK (failing as docker/cli does when nothing listens). Returns the PATH.
 */
export async function fakeDockerCli(dir: string): Promise<string> {
  const bin = path.join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const script = `#!${process.execPath}
const a = process.argv.slice(2);
if (a[0] === '--version') { console.log('Docker version 24.0.7, build afdd53b'); process.exit(0); }
const sock = a[a.indexOf('-H') + 1].replace(/^unix:\\/\\//, '');
const s = require('net').connect(sock);
s.on('error', (e) => { process.stderr.write('error during connect: ' + e.message + '\\n'); process.exit(1); });
process.stdin.pipe(s);
s.pipe(process.stdout);
s.on('close', () => process.exit(0));
`;
  await writeFile(path.join(bin, 'docker'), script);
  await chmod(path.join(bin, 'docker'), 0o755);
  return `${bin}:${process.env['PATH'] ?? ''}`;
}
