import { describe, expect, it } from 'vitest';
import { FakeHost, PROC_NET_EMPTY } from '../../test/fakes/fake-host.js';
import type { ContainerCreateSpec } from '../docker/docker-client.js';
import type { CallCounts } from '../docker/counting-client.js';
import type { HostSession } from '../host/session.js';
import type { ExecResult } from '../ssh/host-shell.js';
import { inspectHosts } from './inspect-hosts.js';

const ID = (ch: string) => ch.repeat(64);
const LISTEN_80 =
  '   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1';
const LISTEN_5432 =
  '   0: 00000000:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1';

/**
 * One host with three running containers, each with a full id and a PID: `own` (lab's, its PID
 * verifiable on the host), `nested` (lab's, its engine in another PID namespace: the host's PID
 * is some other process) and `theirs` (not lab's, verifiable). The host's grep answers what a
 * host would for those PIDs.
 */
async function host() {
  const fake = new FakeHost('server1');
  const created: ContainerCreateSpec[] = [];
  const create = fake.docker.createContainer;
  fake.docker.createContainer = async (spec) => (created.push(spec), create(spec));
  const specs = [
    { name: 'own', id: ID('a'), pid: 101, labels: { 'lab.managed': 'true' } },
    { name: 'nested', id: ID('b'), pid: 102, labels: { 'lab.managed': 'true' } },
    { name: 'theirs', id: ID('c'), pid: 103, labels: { role: 'db' } },
  ];
  for (const s of specs) {
    await fake.docker.createContainer({ name: s.name, image: 'img', labels: s.labels });
    await fake.docker.startContainer(s.name);
    Object.assign(fake.containers.get(s.name) ?? {}, { id: s.id, pid: s.pid });
  }
  fake.procNet.set(ID('b'), PROC_NET_EMPTY.replace('\n', `\n${LISTEN_5432}\n`));
  const cgroups: Record<number, string> = {
    101: `12:pids:/docker/${ID('a')}`,
    102: '0::/user.slice/user-1000.slice/session-2.scope',
    103: `0::/system.slice/docker-${ID('c')}.scope`,
  };
  const greps: (readonly string[])[] = [];
  const session: HostSession = {
    host: 'server1',
    docker: fake.docker,
    shell: {
      ...fake.shell,
      exec: async (argv): Promise<ExecResult> => {
        if (argv[0] !== 'grep') return fake.shell.exec(argv);
        greps.push(argv);
        const lines = argv.slice(3).flatMap((file) => {
          const pid = Number(file.split('/')[2]);
          if (file.endsWith('/cgroup')) return [`${file}:${cgroups[pid] ?? ''}`];
          const text = file.endsWith('/net/tcp')
            ? `${PROC_NET_EMPTY.split('\n')[0] ?? ''}\n${LISTEN_80}`
            : (PROC_NET_EMPTY.split('\n')[1] ?? '');
          return text.split('\n').map((l) => `${file}:${l}`);
        });
        return { exitCode: 0, stdout: lines.join('\n') + '\n', stderr: '', durationMs: 1 };
      },
    },
  };
  return { session, created, greps };
}

describe('inspectHosts: listening ports', () => {
  it('reads every verifiable container in one host command; an exec only for the one it cannot vouch for', async () => {
    const { session, created, greps } = await host();
    const counts: CallCounts = {};
    const [found] = await inspectHosts(
      [
        {
          target: {
            host: 'server1',
            address: '198.18.0.1',
            port: 22,
            user: 'root',
            become: false,
          },
          probeImage: 'lab/busybox:latest',
        },
      ],
      async () => session,
      { sessions: new Map(), counts },
      {
        concurrency: 1,
        wallNow: () => 0,
        listening: true,
        select: [{ name: '*' }],
      },
    );
    const ports = Object.fromEntries(
      (found?.topo.containers ?? []).map((c) => [c.name, c.listening?.map((p) => p.port)]),
    );
    expect(ports).toEqual({ own: [80], nested: [5432], theirs: [80] });
    expect(greps).toHaveLength(1);
    // nested: its PID was not its own on this host, so one exec in it, as before.
    expect(counts['exec']).toBe(1);
    // theirs (foreign): read from the host, so no prober was made for it.
    expect(counts['run']).toBeUndefined();
    expect(created.map((s) => s.name)).toEqual(['own', 'nested', 'theirs']);
  });
});
