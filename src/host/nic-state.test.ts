import { describe, expect, it } from 'vitest';
import {
  decodeSavedNic,
  encodeSavedNic,
  nicCommands,
  nicStateLine,
  parseLinks,
  parseNicStateFile,
  restoreCommands,
  saveNicCommand,
} from './nic-state.js';

const ipOutput = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '7: eth0@if8: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 3a:..',
  '9: eth1@if10: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/ether 3b:..',
  '11: eth0.1@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP',
].join('\n');

describe('parseLinks', () => {
  it('reads name, UP and PROMISC from ip -o link show, peer suffixes dropped', () => {
    const links = parseLinks(ipOutput);
    expect([...links.keys()]).toEqual(['lo', 'eth0', 'eth1', 'eth0.1']);
    expect(links.get('eth0')).toEqual({ name: 'eth0', up: true, promisc: true });
    expect(links.get('eth1')).toEqual({ name: 'eth1', up: false, promisc: false });
  });
});

describe('nicCommands', () => {
  const links = parseLinks(ipOutput);
  it('changes only what differs', () => {
    expect(nicCommands({ interface: 'eth0', promisc: true }, links.get('eth0'))).toEqual([]);
    expect(
      nicCommands(
        {
          interface: 'eth1',
          up: true,
          promisc: true,
        },
        links.get('eth1'),
      ),
    ).toEqual([
      ['ip', 'link', 'set', 'eth1', 'up'],
      ['ip', 'link', 'set', 'eth1', 'promisc', 'on'],
    ]);
  });
  it('creates a missing VLAN sub-interface and uses an existing one as is', () => {
    const step = {
      kind: 'nic' as const,
      id: 'x',
      host: 'h',
      dependsOn: [],
      interface: 'eth0.1',
      up: true,
      vlan: { parent: 'eth0', id: 1 },
    };
    expect(nicCommands(step, undefined)[0]).toEqual([
      'ip',
      'link',
      'add',
      'link',
      'eth0',
      'name',
      'eth0.1',
      'type',
      'vlan',
      'id',
      '1',
    ]);
    expect(nicCommands(step, links.get('eth0.1'))).toEqual([]);
  });
});

describe('saved NIC state', () => {
  it('round-trips through a label value', () => {
    const s = { interface: 'eth1', existed: true, up: false, promisc: false };
    expect(decodeSavedNic('eth1', encodeSavedNic(s))).toEqual(s);
    expect(decodeSavedNic('eth1', 'garbage')).toBeUndefined();
  });
  it('restores flags, and deletes what lab created', () => {
    const links = parseLinks(ipOutput);
    expect(
      restoreCommands(
        { interface: 'eth0', existed: true, up: true, promisc: false },
        links.get('eth0'),
      ),
    ).toEqual([['ip', 'link', 'set', 'eth0', 'promisc', 'off']]);
    expect(
      restoreCommands(
        { interface: 'eth0.1', existed: false, up: false, promisc: false },
        links.get('eth0.1'),
      ),
    ).toEqual([['ip', 'link', 'delete', 'eth0.1']]);
    expect(
      restoreCommands({ interface: 'eth9', existed: false, up: false, promisc: false }, undefined),
    ).toEqual([]);
  });
});

describe('the NIC state file', () => {
  it('keeps the first line of a NIC (its state before lab) and skips lines that do not parse', () => {
    const text = [
      'eth0 existed=1,up=1,promisc=0',
      'eth0 existed=1,up=1,promisc=1',
      'garbage',
      'eth0.1 existed=0,up=0,promisc=0',
      '',
    ].join('\n');
    expect(parseNicStateFile(text)).toEqual([
      { interface: 'eth0', existed: true, up: true, promisc: false },
      { interface: 'eth0.1', existed: false, up: false, promisc: false },
    ]);
  });

  it('saves with one shell command that never overwrites a saved NIC', () => {
    const state = { interface: 'eth0.1', existed: false, up: false, promisc: false };
    const argv = saveNicCommand('macvlan-two-nic', state);
    expect(argv.slice(4)).toEqual([
      '/run/lab',
      'eth0.1',
      '/run/lab/macvlan-two-nic.nics',
      'eth0.1 existed=0,up=0,promisc=0',
    ]);
    expect(parseNicStateFile(`${nicStateLine(state)}\n`)).toEqual([state]);
  });
});
