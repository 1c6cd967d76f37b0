import { describe, expect, it } from 'vitest';
import { anchorArgv, anchorScript, inCgroup } from './anchor.js';
import type { Programs } from './prerequisites.js';

describe('the anchor', () => {
  it('sets the hostname, drops the netns handles, mounts its own /run, then waits', () => {
    const script = anchorScript('server2');
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

  it('joins the network namespace by path and unshares UTS and mounts, private propagation', () => {
    const programs = { nsenter: '/usr/bin/nsenter', unshare: '/usr/bin/unshare' } as Programs;
    const argv = anchorArgv(programs, 'server1', '/run/netns/labbox-server1');
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
