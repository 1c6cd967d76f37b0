import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';

/**
 * An in-process SSH server on loopback for the SSH layer's tests, on the real protocol (the way
 * node-ssh tests itself with ssh2.Server): one host key, public-key login for one client key, and
 * every exec run by a local `sh -c` (so lab's command pipe talks to a real shell). Clients connect
 * through a small TCP relay that can be frozen: the host then stops answering, as when its switch
 * port goes down.
 */
export interface TestSshServer {
  port: number;
  /** The server's host key as a known_hosts line for 127.0.0.1:port. */
  knownHostsLine: string;
  /** A known_hosts file holding knownHostsLine; clientKeyFile holds the client's private key. */
  knownHostsFile: string;
  clientKeyFile: string;
  dir: string;
  /** Commands the server was asked to run, in order. */
  commands: string[];
  /** Signals the clients sent to their commands ("KILL"), in order. */
  signals: string[];
  /** Every authentication attempt ("user method"), in order: a login tried is a host contacted. */
  authentications: string[];
  /** Stops relaying in both directions: the server is silent from now on. */
  freeze(): void;
  close(): Promise<void>;
}

export interface TestSshServerOptions {
  /** Extra variables for the commands' environment (PATH with a stand-in sudo, for instance). */
  env?: Record<string, string>;
  /** Refuse every login. */
  refuseAuth?: boolean;
  /**
   * Allow direct-streamlocal channels (OpenSSH's AllowStreamLocalForwarding): each is connected to
   * the local unix socket asked for, and refused as OpenSSH does when nothing listens there. Off by
   * default: the channel is refused, as on a host with DisableForwarding yes.
   */
  streamLocal?: boolean;
}

export async function startSshServer(options: TestSshServerOptions = {}): Promise<TestSshServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lab-ssh-server-'));
  const hostKey = parseableKeyPair();
  const clientKey = parseableKeyPair();
  const allowed = ssh2.utils.parseKey(clientKey.public);
  if (allowed instanceof Error) throw allowed;
  const commands: string[] = [];
  const signals: string[] = [];
  const authentications: string[] = [];
  const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    client.on('authentication', (ctx) => {
      authentications.push(`${ctx.username} ${ctx.method}`);
      const ok =
        !options.refuseAuth &&
        ctx.method === 'publickey' &&
        ctx.key.algo === allowed.type &&
        ctx.key.data.equals(allowed.getPublicSSH());
      if (ok) ctx.accept();
      else ctx.reject(['publickey']);
    });
    client.on('session', (accept) => {
      const session = accept();
      session.on('exec', (acceptExec, _reject, info) => {
        commands.push(info.command);
        const channel = acceptExec();
        const child = spawn('sh', ['-c', info.command], {
          env: { ...process.env, ...options.env },
          stdio: 'pipe',
        });
        channel.pipe(child.stdin).on('error', () => {});
        child.stdout.pipe(channel, { end: false });
        child.stderr.pipe(channel.stderr, { end: false });
        session.on('signal', (_a, _r, sig) => {
          signals.push(sig.name);
          child.kill(`SIG${sig.name}` as NodeJS.Signals);
        });
        child.on('close', (code, signal) => {
          if (signal) channel.exit(signal.replace(/^SIG/, ''), false, '');
          else channel.exit(code ?? 0);
          channel.end();
        });
        channel.on('close', () => child.kill('SIGKILL'));
      });
    });
    if (options.streamLocal) {
      client.on('openssh.streamlocal', (accept, reject, info) => {
        const socket = net.connect(info.socketPath);
        socket.once('error', () => reject());
        socket.once('connect', () => {
          const channel = accept();
          socket.pipe(channel).pipe(socket);
          socket.on('error', () => channel.destroy());
          channel.on('close', () => socket.destroy());
        });
      });
    }
    client.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sshPort = (server.address() as net.AddressInfo).port;

  let frozen = false;
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((inbound) => {
    const outbound = net.connect(sshPort, '127.0.0.1');
    sockets.add(inbound).add(outbound);
    inbound.on('data', (d) => void (frozen || outbound.write(d)));
    outbound.on('data', (d) => void (frozen || inbound.write(d)));
    inbound.on('close', () => frozen || outbound.destroy());
    outbound.on('close', () => frozen || inbound.destroy());
    inbound.on('error', () => {});
    outbound.on('error', () => {});
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.address() as net.AddressInfo).port;

  const parsedHost = ssh2.utils.parseKey(hostKey.public);
  if (parsedHost instanceof Error) throw parsedHost;
  const knownHostsLine = `[127.0.0.1]:${port} ${parsedHost.type} ${parsedHost.getPublicSSH().toString('base64')}`;
  const knownHostsFile = path.join(dir, 'known_hosts');
  const clientKeyFile = path.join(dir, 'id_ed25519');
  await writeFile(knownHostsFile, `${knownHostsLine}\n`);
  await writeFile(clientKeyFile, clientKey.private, { mode: 0o600 });

  return {
    port,
    knownHostsLine,
    knownHostsFile,
    clientKeyFile,
    dir,
    commands,
    signals,
    authentications,
    freeze: () => void (frozen = true),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => relay.close(resolve));
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An ed25519 pair ssh2 can read back: its keygen strips a leading zero byte of the public key, so
 * about 1 pair in 256 is malformed (mscdex/ssh2#1513); such a pair is drawn again.
 */
function parseableKeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    const readable = [pair.private, pair.public].every(
      (k) => !(ssh2.utils.parseKey(k) instanceof Error),
    );
    if (readable) return pair;
  }
}
