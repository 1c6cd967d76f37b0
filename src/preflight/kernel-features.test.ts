import { describe, expect, it } from 'vitest';
import type { HostPlan } from '../plan/model.js';
import {
  featureFindings,
  featureScript,
  neededFeatures,
  parseFeatureReport,
} from './kernel-features.js';

const plan = (steps: HostPlan['steps']): HostPlan => ({
  host: 'server1',
  target: { host: 'server1', address: '198.18.0.1', port: 22, become: false },
  steps,
});
const base = { host: 'server1', dependsOn: [] };
const links = new Map([['eth0', { name: 'eth0', up: true, promisc: false }]]);

describe('which kernel features a host needs', () => {
  it('macvlan for macvlan networks, 802.1Q only for a VLAN interface that is not there, VXLAN for a swarm', () => {
    const needs = neededFeatures(
      plan([
        { ...base, kind: 'nic', id: 'n1', interface: 'eth0.1', vlan: { parent: 'eth0', id: 1 } },
        {
          ...base,
          kind: 'network',
          id: 'w',
          name: 'mac_net3',
          driver: 'macvlan',
          options: { parent: 'eth0.1' },
          labels: {},
        },
        {
          ...base,
          kind: 'swarm',
          id: 's',
          role: 'manager',
          manager: 'server1',
          managerAddress: '198.18.0.1:2377',
          advertiseAddress: '198.18.0.1',
          labels: {},
        },
      ]),
      links,
    );
    expect([...needs.keys()]).toEqual(['macvlan', '8021q', 'vxlan']);
    expect(needs.get('8021q')).toMatch(/ip link add link eth0 name eth0\.1 type vlan id 1/);
    const existing = new Map([...links, ['eth0.1', { name: 'eth0.1', up: true, promisc: false }]]);
    expect(
      neededFeatures(
        plan([
          { ...base, kind: 'nic', id: 'n1', interface: 'eth0.1', vlan: { parent: 'eth0', id: 1 } },
        ]),
        existing,
      ).size,
    ).toBe(0);
  });
});

describe('trying kernel features', () => {
  it('leaves nothing behind: everything happens in a namespace of its own', () => {
    const script = featureScript().join('\n');
    expect(script).toMatch(/unshare --net sh -c /);
    // Every link is created inside the throwaway namespace, none on the host itself.
    for (const line of script.split('\n').filter((l) => l.includes('ip link add'))) {
      expect(line.trim().startsWith('unshare') || line.trim().startsWith('t ')).toBe(true);
    }
  });

  it('a kernel with everything (this machine: macvlan built in, not in /sys/module)', () => {
    const s = parseFeatureReport(
      'feature macvlan yes\nfeature 8021q yes\nfeature vxlan yes\nmodule vxlan\n',
    );
    expect([...s.values()].every((x) => x.state === 'present')).toBe(true);
  });

  it('a kernel without 802.1Q: absent, in the words of new and old iproute2', () => {
    const s = parseFeatureReport(
      'feature macvlan yes\nfeature 8021q no Error: Unknown device type.\nfeature vxlan yes\n',
    );
    expect(s.get('8021q')).toEqual({ state: 'absent', why: 'Error: Unknown device type.' });
    const old = parseFeatureReport('feature 8021q no RTNETLINK answers: Operation not supported\n');
    expect(old.get('8021q')?.state).toBe('absent');
  });

  it('another failure, or no unshare, is unknown; /sys/module can only say yes', () => {
    const s = parseFeatureReport('feature macvlan no RTNETLINK answers: File exists\n');
    expect(s.get('macvlan')?.state).toBe('unknown');
    const none = parseFeatureReport('feature unshare missing\nmodule 8021q\n');
    expect(none.get('8021q')).toEqual({ state: 'present' });
    expect(none.get('vxlan')?.state).toBe('unknown');
    expect(none.get('vxlan')).toMatchObject({ why: expect.stringMatching(/unshare missing/) });
  });
});

describe('feature findings', () => {
  const needs = new Map([
    ['8021q', 'eth0.1, to be created as VLAN 1 on eth0'],
    ['vxlan', 'overlay networks'],
  ] as const);

  it('an absent feature stops the run, with what to do; an unknown one is only said', () => {
    const f = featureFindings(
      new Map(needs),
      new Map([
        ['8021q', { state: 'absent', why: 'Error: Unknown device type.' }],
        ['vxlan', { state: 'unknown', why: 'no test link could be made' }],
        ['macvlan', { state: 'absent', why: 'not needed here' }],
      ]),
    );
    expect(f.problems).toEqual([
      'eth0.1, to be created as VLAN 1 on eth0 needs 802.1Q VLAN, and this kernel has none (ip says: Error: Unknown device type.); load the 8021q module (modprobe 8021q) or use a kernel with CONFIG_VLAN_8021Q; or create the interface yourself (any link of that name), and lab uses it as it is',
    ]);
    expect(f.notes).toEqual([
      'could not tell whether the kernel has VXLAN (no test link could be made); going on',
    ]);
  });

  it('nothing to say when every needed feature is there', () => {
    const f = featureFindings(
      new Map(needs),
      new Map([
        ['8021q', { state: 'present' }],
        ['vxlan', { state: 'present' }],
      ]),
    );
    expect(f).toEqual({ problems: [], notes: [] });
  });
});
