import { afterEach, describe, expect, it } from 'vitest';
import { connectHost } from '../../src/ssh/connect.js';
import type { HostShell } from '../../src/ssh/host-shell.js';
import { startSshServer, type TestSshServer } from '../fakes/ssh-server.js';

let server: TestSshServer | undefined;
let shell: HostShell | undefined;
afterEach(async () => {
  await shell?.close();
  await server?.close();
  shell = undefined;
  server = undefined;
});

async function connect(s: TestSshServer, keepalive: { intervalMs: number; countMax: number }) {
  return connectHost(
    {
      host: 'server2',
      address: '127.0.0.1',
      port: s.port,
      user: 'tester',
      privateKeyFile: s.clientKeyFile,
      become: false,
    },
    {
      knownHostsFile: s.knownHostsFile,
      acceptNewHostKeys: false,
      readyTimeoutMs: 5_000,
      commandTimeoutMs: 30_000,
      keepaliveIntervalMs: keepalive.intervalMs,
      keepaliveCountMax: keepalive.countMax,
    },
  );
}

describe('SSH keepalives (in-process ssh2 server)', () => {
  it('runs commands through the pipe on the real protocol', async () => {
    server = await startSshServer();
    shell = await connect(server, { intervalMs: 200, countMax: 3 });
    const r = await shell.exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('declares a host that stops answering lost after the unanswered keepalives, not at the command timeout', async () => {
    server = await startSshServer();
    shell = await connect(server, { intervalMs: 200, countMax: 3 });
    await shell.exec(['true']);
    server.freeze();
    const outcome = await shell.exec(['sleep', '20']).then(
      (r) => `finished: ${JSON.stringify(r)}`,
      (err: unknown) => String((err as Error).message),
    );
    // Lost, not timed out: the command's own timeout (30 s) is far beyond this test's time limit.
    expect(outcome).toContain(`connection to server2 (127.0.0.1:${server.port}) lost`);
  });
});
