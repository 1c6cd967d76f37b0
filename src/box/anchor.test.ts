import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { anchorArgv, anchorScript, inCgroup } from './anchor.js';
import type { Programs } from './prerequisites.js';

describe('the anchor', () => {
  it('sets the hostname, drops the netns handles, mounts its own /run, then waits', () => {
    const script = anchorScript({ host: 'server2', authorizedKeys: '/state/authorized_keys' });
    const lines = script.split('\n');
    expect(lines[1]).toBe('echo server2 > /proc/sys/kernel/hostname');
    expect(lines.findIndex((l) => l.startsWith('umount -n -R -l /run/netns'))).toBeLessThan(
      lines.findIndex((l) => l.startsWith('mount -n -t tmpfs')),
    );
    expect(script).toContain('mkdir -p /run/sshd');
    // A fresh root home: the machine's ~/.bashrc is not read by every SSH session.
    expect(script).toContain('mount -n -t tmpfs -o mode=0700,size=16m lab-box-home /root');
    expect(lines.at(-1)).toMatch(/^while :; do sleep/);
  });

  it('makes the login user inside the host only, with sudo, the docker group and the keys', () => {
    const script = anchorScript({ host: 'server2', authorizedKeys: '/state/authorized_keys' });
    expect(script).toContain(
      "echo 'labuser:x:60500:60500:lab box login:/run/home/labuser:/bin/bash' >> /run/lab-box-etc/passwd",
    );
    expect(script).toContain("echo 'labuser ALL=(ALL) NOPASSWD: ALL' >> /run/lab-box-etc/sudoers");
    expect(script).toContain("echo '127.0.1.1 server2' >> /run/lab-box-etc/hosts");
    expect(script).toContain('cp /state/authorized_keys /run/home/labuser/.ssh/authorized_keys');
    // Bound over the machine's files in the host's own mount namespace, after they are written.
    const lines = script.split('\n');
    const bind = lines.findIndex((l) => l.includes('mount -n --bind /run/lab-box-etc/$f /etc/$f'));
    expect(bind).toBeGreaterThan(lines.findIndex((l) => l.includes('NOPASSWD')));
    expect(bind).toBeLessThan(lines.findIndex((l) => l.startsWith('touch ')));
  });

  it('adds the login user to the docker group once, whatever members it has', async () => {
    const sed = anchorScript({ host: 's', authorizedKeys: '/k' })
      .split('\n')
      .find((l) => l.startsWith('sed -i'));
    const dir = await mkdtemp(join(tmpdir(), 'lab-anchor-'));
    try {
      const cases: [string, string][] = [
        ['docker:x:105:', 'docker:x:105:labuser'],
        ['docker:x:105:alice', 'docker:x:105:alice,labuser'],
        ['docker:x:105:labuser', 'docker:x:105:labuser'],
        ['docker:x:105:alice,labuser,bob', 'docker:x:105:alice,labuser,bob'],
        ['docker:x:105:labuser2', 'docker:x:105:labuser2,labuser'],
      ];
      for (const [before, after] of cases) {
        const file = join(dir, 'group');
        await writeFile(file, `root:x:0:\n${before}\nstaff:x:50:\n`);
        await promisify(execFile)('sh', ['-c', sed!.replace('/run/lab-box-etc/group', file)]);
        expect(await readFile(file, 'utf8')).toBe(`root:x:0:\n${after}\nstaff:x:50:\n`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('joins the network namespace by path and unshares UTS and mounts, private propagation', () => {
    const programs = { nsenter: '/usr/bin/nsenter', unshare: '/usr/bin/unshare' } as Programs;
    const argv = anchorArgv(programs, {
      host: 'server1',
      netnsPath: '/run/netns/labbox-server1',
      authorizedKeys: '/state/authorized_keys',
    });
    expect(argv.slice(0, 7)).toEqual([
      '/usr/bin/nsenter',
      '--net=/run/netns/labbox-server1',
      '/usr/bin/unshare',
      '--uts',
      '--mount',
      '--propagation',
      'private',
    ]);
    expect(argv.at(-1)).toBe('labbox-anchor-server1');
  });

  it('enters the cgroup before exec, so the pid we get is the daemon and it is tracked', () => {
    expect(inCgroup('/cg/procs', ['dockerd', '-x'])).toEqual([
      '/bin/sh',
      '-c',
      'echo $$ > "$0" && exec "$@"',
      '/cg/procs',
      'dockerd',
      '-x',
    ]);
  });
});
