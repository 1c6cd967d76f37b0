import { describe, expect, it } from 'vitest';
import { fillSamples, findSamples, forPage, labArgs, structureOf } from '../docs/sample-blocks.js';

const page = [
  'Intro.',
  '<!-- sample: npx lab box up -->',
  '',
  '```text',
  '$ npx lab box up',
  'old output',
  '```',
  '',
  '<!-- /sample -->',
  '<!-- sample exit=2: npx lab run x.yaml -i box -->',
  '',
  '```text',
  '$ npx lab run x.yaml -i box',
  '```',
  '',
  '<!-- /sample -->',
].join('\n');

describe('sample blocks in the docs', () => {
  it('reads each command, its claimed exit code and the output shown', () => {
    expect(findSamples(page)).toEqual([
      { command: 'npx lab box up', exit: 0, output: ['old output'] },
      { command: 'npx lab run x.yaml -i box', exit: 2, output: [] },
    ]);
  });

  it('writes new output into the blocks, in order, and reads it back', () => {
    const filled = fillSamples(page, [['new 1', 'new 2'], ['lab: x.yaml:1:1: bad']]);
    expect(findSamples(filled).map((s) => s.output)).toEqual([
      ['new 1', 'new 2'],
      ['lab: x.yaml:1:1: bad'],
    ]);
    expect(filled).toContain('<!-- sample exit=2: npx lab run x.yaml -i box -->');
    expect(fillSamples(filled, [['new 1', 'new 2'], ['lab: x.yaml:1:1: bad']])).toBe(filled);
  });

  it('refuses a block whose first line is not its command', () => {
    expect(() => findSamples(page.replace('$ npx lab box up', '$ lab box up'))).toThrow(
      /starts with "\$ lab box up", not "\$ npx lab box up"/,
    );
  });

  it('runs only plain `npx lab` commands', () => {
    expect(labArgs('npx lab run macvlan-two-nic -i box')).toEqual([
      'run',
      'macvlan-two-nic',
      '-i',
      'box',
    ]);
    expect(() => labArgs('rm -rf /')).toThrow(/only plain/);
    expect(() => labArgs('npx lab run x; reboot')).toThrow(/only plain/);
  });

  it('normalises timings and pids for the page', () => {
    expect(
      forPage('the box is up: 2 hosts in 5.1 s\n  server1  docker /proc/13187/root/x  \n\n'),
    ).toEqual(['the box is up: 2 hosts in #.# s', '  server1  docker /proc/PID/root/x']);
    expect(forPage('PASS: x — all 7 expectations hold (830 ms)')).toEqual([
      'PASS: x — all 7 expectations hold (#.# s)',
    ]);
  });

  it('compares host lines as a set, and everything else in order', () => {
    const a = [
      'server2    ready (Docker 20.10.24+dfsg1, API 1.41)',
      'server1    ready (Docker 20.10.24+dfsg1, API 1.41)',
      '✔ server1: removed container vm6, container vm4, network mac_net1',
      '7 of 7 expectations hold',
      'PASS: 40 cells — 2 SSH connections, 0 SSH commands, 24 Docker API requests, 4 probers',
    ];
    const b = [
      'server1    ready (Docker 26.1.5, API 1.45)',
      'server2    ready (Docker 26.1.5, API 1.45)',
      '✔ server1: removed container vm4, network mac_net1, container vm6',
      '7 of 7 expectations hold',
      'PASS: 40 cells — 2 SSH connections, 0 SSH commands, 28 Docker API requests, 4 probers',
    ];
    expect(structureOf(a)).toEqual(structureOf(b));
    // Real drift: a verdict that changed, a host line that went, one more line.
    expect(structureOf(a)).not.toEqual(structureOf(b.map((l) => l.replace('7 of 7', '6 of 7'))));
    expect(structureOf(a)).not.toEqual(structureOf(b.slice(1)));
    expect(structureOf(a)).not.toEqual(structureOf([...b, 'note: something new']));
    // Order outside the host lines matters.
    expect(structureOf(a)).not.toEqual(structureOf([...b.slice(0, 3), b[4]!, b[3]!]));
  });

  it("compares lab down's removed and restored lists as sets, but not across the two", () => {
    const page = [
      '✔ server2: removed container vm7, container vm5, network mac_net1; restored NIC eth1: set eth1 promisc off, set eth1 down, NIC eth0: set eth0 promisc off',
    ];
    const run = [
      '✔ server2: removed network mac_net1, container vm5, container vm7; restored NIC eth0: set eth0 promisc off, NIC eth1: set eth1 promisc off, set eth1 down',
    ];
    expect(structureOf(run)).toEqual(structureOf(page));
    const moved = [
      '✔ server2: removed container vm7, container vm5; restored NIC eth1: set eth1 promisc off, set eth1 down, NIC eth0: set eth0 promisc off, network mac_net1',
    ];
    expect(structureOf(moved)).not.toEqual(structureOf(page));
  });
});
