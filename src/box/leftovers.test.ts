import { describe, expect, it } from 'vitest';
import { ourRules, switchRules } from './network/firewall.js';
import { describeLeftovers, findLeftovers, isClean } from './leftovers.js';
import { mountsUnder, parseMountPoints } from './system/mounts.js';

describe('leftover detection', () => {
  it('picks only names with our prefix, and tells bridges from veths', () => {
    const leftovers = findLeftovers({
      netns: ['labbox-server1', 'other-ns', 'labbox'],
      links: [
        'lo',
        'eth0',
        'docker0',
        'labbox-sw0',
        'labbox-sw01',
        'labbox-1-eth0',
        'labboxer',
        'labbox-1-eth0.1',
      ],
      cgroups: ['labbox-server1'],
      firewallRules: [],
    });
    expect(leftovers).toEqual({
      netns: ['labbox-server1'],
      bridges: ['labbox-sw0', 'labbox-sw01'],
      veths: ['labbox-1-eth0', 'labbox-1-eth0.1'],
      cgroups: ['labbox-server1'],
      podmanCgroups: [],
      firewallRules: [],
    });
    expect(isClean(leftovers)).toBe(false);
    expect(describeLeftovers(leftovers)[0]).toBe('1 namespace (labbox-server1)');
  });

  it('finds a machine without any of ours clean', () => {
    const leftovers = findLeftovers({
      netns: ['x'],
      links: ['lo', 'eth0'],
      cgroups: [],
      firewallRules: [],
    });
    expect(isClean(leftovers)).toBe(true);
    expect(describeLeftovers(leftovers)).toEqual([]);
  });

  it('reports podman cgroups at the top of a hierarchy: a podman host’s containers escaped it', () => {
    const leftovers = findLeftovers({
      netns: [],
      links: [],
      cgroups: [],
      podmanCgroups: ['/sys/fs/cgroup/pids/libpod_parent'],
      firewallRules: [],
    });
    expect(describeLeftovers(leftovers)).toEqual([
      '1 podman cgroup (/sys/fs/cgroup/pids/libpod_parent)',
    ]);
  });
});

describe('firewall rules', () => {
  it('accepts frames that enter and leave the same switch, marked as ours', () => {
    expect(switchRules(['labbox-sw0'])).toEqual([
      [
        'FORWARD',
        '-i',
        'labbox-sw0',
        '-o',
        'labbox-sw0',
        '-m',
        'comment',
        '--comment',
        'labbox-forward',
        '-j',
        'ACCEPT',
      ],
    ]);
  });

  it('finds exactly our rules in iptables -S output, ready to delete', () => {
    const output = [
      '-P INPUT ACCEPT',
      '-P FORWARD DROP',
      '-N DOCKER-USER',
      '-A FORWARD -j DOCKER-USER',
      '-A FORWARD -i labbox-sw0 -o labbox-sw0 -m comment --comment labbox-forward -j ACCEPT',
      '-A FORWARD -i docker0 -o docker0 -j ACCEPT',
      '-A DOCKER-USER -j RETURN',
    ].join('\n');
    expect(ourRules(output)).toEqual(switchRules(['labbox-sw0']));
  });
});

describe('mounts', () => {
  const mountinfo = [
    '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
    '42 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw',
    '43 42 0:4 net:[4026532177] /run/netns/labbox-server1 rw shared:2 - nsfs nsfs rw',
    '50 27 0:40 / /var/lib/lab-box/with\\040space rw - tmpfs tmpfs rw',
    '51 27 0:41 / /var/lib/lab-boxer rw - tmpfs tmpfs rw',
    '',
  ].join('\n');

  it('reads mount points, unescaping octal escapes', () => {
    expect(parseMountPoints(mountinfo)).toEqual([
      '/',
      '/run/netns',
      '/run/netns/labbox-server1',
      '/var/lib/lab-box/with space',
      '/var/lib/lab-boxer',
    ]);
  });

  it('lists mounts under a directory deepest first, not its namesakes', () => {
    const points = parseMountPoints(mountinfo);
    expect(mountsUnder(points, '/run/netns')).toEqual(['/run/netns/labbox-server1', '/run/netns']);
    expect(mountsUnder(points, '/var/lib/lab-box/')).toEqual(['/var/lib/lab-box/with space']);
  });
});
