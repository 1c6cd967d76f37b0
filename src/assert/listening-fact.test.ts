import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/fakes/assert-context.js';
import { ScriptedHost } from '../../test/fakes/scripted-host.js';
import { checkListening } from './listening-fact.js';
import type { PlannedAssertion } from '../plan/assertion-model.js';

const SS = `State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess
LISTEN 0      128       198.18.0.1:22        0.0.0.0:*    users:(("sshd",pid=12440,fd=4))
LISTEN 0      4096         0.0.0.0:80        0.0.0.0:*    users:(("docker-proxy",pid=3826,fd=4))`;

const a = (port: number, process?: string): Extract<PlannedAssertion, { kind: 'listening' }> => ({
  kind: 'listening',
  id: 'a',
  host: 'server1',
  dependsOn: [],
  reason: 'r',
  port,
  protocol: 'tcp',
  ...(process && { process }),
});

describe('listening assertions', () => {
  const h = () => new ScriptedHost('server1', { 'ss -ltnp': { stdout: SS } });

  it('PASS: docker-proxy listens on the published port', async () => {
    const r = await checkListening(a(80, 'docker-proxy'), fakeContext([h()]));
    expect(r).toMatchObject({
      outcome: 'pass',
      evidence: 'listening: 0.0.0.0:80 docker-proxy (pid 3826)',
    });
  });

  it('FAIL: nothing on the port, or another process holds it', async () => {
    expect((await checkListening(a(8080), fakeContext([h()]))).evidence).toBe(
      'nothing listens on tcp port 8080',
    );
    const other = await checkListening(a(22, 'docker-proxy'), fakeContext([h()]));
    expect(other).toMatchObject({ outcome: 'fail' });
    expect(other.evidence).toMatch(/held by another process: 198\.18\.0\.1:22 sshd/);
  });

  it('ERROR: ss cannot run', async () => {
    const r = await checkListening(a(80), fakeContext([new ScriptedHost('server1', {})]));
    expect(r.outcome).toBe('error');
  });
});
