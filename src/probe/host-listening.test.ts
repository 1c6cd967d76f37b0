import { describe, expect, it } from 'vitest';
import type { ExecOptions, ExecResult, HostShell } from '../ssh/host-shell.js';
import {
  askable,
  hostReadArgv,
  namesContainer,
  parseHostRead,
  readListeningOnHost,
} from './host-listening.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const UDP_HEADER = `${TCP_HEADER} ref pointer drops`;
const LISTEN_80 =
  '   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1';
const UDP_53 =
  ' 100: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 7 2 0 0';

/** What `grep -H ''` prints for one PID: its four socket files, then its cgroup. */
function grepOf(pid: number, cgroup: string[], tcp: string[] = [LISTEN_80]): string[] {
  const at = (file: string, lines: string[]) =>
    lines.map((l) => `/proc/${String(pid)}/${file}:${l}`);
  return [
    ...at('net/tcp', [TCP_HEADER, ...tcp]),
    ...at('net/tcp6', [TCP_HEADER]),
    ...at('net/udp', [UDP_HEADER, UDP_53]),
    ...at('net/udp6', [UDP_HEADER]),
    ...at('cgroup', cgroup),
  ];
}

describe('listening ports read on the host', () => {
  it('asks one grep for every container: its four socket files, then its cgroup', () => {
    expect(hostReadArgv([{ id: A, pid: 41 }])).toEqual([
      'grep',
      '-H',
      '',
      '/proc/41/net/tcp',
      '/proc/41/net/tcp6',
      '/proc/41/net/udp',
      '/proc/41/net/udp6',
      '/proc/41/cgroup',
    ]);
  });

  it('asks only about full ids with a PID of their own', () => {
    expect(
      askable([
        { id: A, pid: 41 },
        { id: 'abc', pid: 42 }, // not a full id: nothing to verify against
        { id: B, pid: 0 },
        { id: 'c'.repeat(64), pid: 7 },
        { id: 'd'.repeat(64), pid: 7 }, // two containers, one PID: neither can be told
      ]),
    ).toEqual([{ id: A, pid: 41 }]);
  });

  it("trusts a PID whose cgroup names the container: Docker's cgroupfs, a cgroup parent, systemd, Podman", () => {
    for (const line of [
      `4:memory:/docker/${A}`,
      `12:pids:/labbox-server1/${A}`,
      `0::/system.slice/docker-${A}.scope`,
      `0::/machine.slice/libpod-${A}.scope/container`,
      `1:name=systemd:/docker/${A}/init.scope`,
    ])
      expect(namesContainer(['2:cpu:/', line], A), line).toBe(true);
  });

  it("does not trust a PID of another container, of conmon, of the host, or an id's prefix", () => {
    for (const line of [
      `4:memory:/docker/${B}`,
      `0::/machine.slice/libpod-conmon-${A}.scope`,
      '0::/user.slice/user-0.slice/session-1.scope',
      `4:memory:/docker/${A.slice(0, 12)}`,
      `4:memory:/docker/${A}x`,
    ])
      expect(namesContainer([line], A), line).toBe(false);
  });

  it('reads each vouched container; the others are left to the slow way', () => {
    const out = [
      ...grepOf(41, [`4:memory:/docker/${A}`]),
      // B's engine is in another PID namespace: its PID 42 here is some other process.
      ...grepOf(42, ['0::/user.slice/user-1000.slice/session-3.scope']),
      'grep: /proc/43/net/tcp: No such file or directory',
      '',
    ].join('\n');
    const found = parseHostRead(out, [
      { id: A, pid: 41 },
      { id: B, pid: 42 },
      { id: 'c'.repeat(64), pid: 43 },
    ]);
    expect([...found]).toEqual([
      [
        A,
        [
          { port: 80, protocol: 'tcp' },
          { port: 53, protocol: 'udp' },
        ],
      ],
    ]);
  });

  it('a container whose sockets could not be read is not vouched for, whatever its cgroup says', () => {
    const cgroupOnly = [`/proc/41/cgroup:4:memory:/docker/${A}`].join('\n');
    expect(parseHostRead(cgroupOnly, [{ id: A, pid: 41 }]).size).toBe(0);
    // No socket at all is an answer: a header read is a container that listens on nothing.
    const none = grepOf(41, [`4:memory:/docker/${A}`], []).join('\n');
    expect(parseHostRead(none, [{ id: A, pid: 41 }]).get(A)).toEqual([
      { port: 53, protocol: 'udp' },
    ]);
  });

  describe('the command', () => {
    const result = (r: Partial<ExecResult>): ExecResult => ({
      exitCode: 0,
      stdout: '',
      stderr: '',
      durationMs: 1,
      ...r,
    });
    function shellAnswering(answer: () => Promise<ExecResult>) {
      const calls: { argv: readonly string[]; options?: ExecOptions }[] = [];
      const shell: HostShell = {
        host: 'server1',
        exec: async (argv, options) => {
          calls.push({ argv, ...(options && { options }) });
          return answer();
        },
        script: () => Promise.reject(new Error('not used')),
        openUnixSocket: () => Promise.reject(new Error('not used')),
        close: async () => {},
      };
      return { shell, calls };
    }

    it('runs once, as root where the inventory allows, and reads what came back', async () => {
      const stdout = grepOf(41, [`4:memory:/docker/${A}`]).join('\n');
      // A file of another container could not be read: grep says 2, the rest still counts.
      const { shell, calls } = shellAnswering(async () => result({ exitCode: 2, stdout }));
      const found = await readListeningOnHost(
        shell,
        [
          { id: A, pid: 41 },
          { id: B, pid: 42 },
        ],
        15_000,
      );
      expect(found.get(A)).toHaveLength(2);
      expect(found.has(B)).toBe(false);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.options).toEqual({ become: true, timeoutMs: 15_000 });
    });

    it('a command that timed out, found nothing, or could not run vouches for none', async () => {
      const stdout = grepOf(41, [`4:memory:/docker/${A}`]).join('\n');
      const asked = [{ id: A, pid: 41 }];
      for (const answer of [
        async () => result({ exitCode: null, timedOut: true, stdout }),
        async () => result({ exitCode: 1, stderr: 'sudo: a password is required' }),
        () => Promise.reject(new Error('connection lost')),
      ]) {
        const { shell } = shellAnswering(answer);
        expect((await readListeningOnHost(shell, asked, 1000)).size).toBe(0);
      }
    });

    it('asks nothing when no container has a PID to ask about', async () => {
      const { shell, calls } = shellAnswering(async () => result({}));
      expect((await readListeningOnHost(shell, [{ id: A, pid: 0 }], 1000)).size).toBe(0);
      expect(calls).toHaveLength(0);
    });
  });
});
