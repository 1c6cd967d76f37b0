import { describe, expect, it } from 'vitest';
import { parseInventory } from './load.js';
import { renderInventoryJson, renderInventoryText } from './render.js';

const inventory = parseInventory(
  [
    'jump ansible_host=fe80::1 ansible_port=2222 note="  padded  "',
    '[servers]',
    'server1 ansible_host=172.25.83.1',
    'server2 ansible_host=172.25.83.2 ansible_become=yes',
    '[servers:vars]',
    'ansible_user=root',
    'ansible_group_priority=3',
    '[lab:children]',
    'servers',
    '[all:vars]',
    'image=busybox:latest',
    'empty=',
  ].join('\n'),
  'inventory/lab.ini',
);

describe('renderInventoryText', () => {
  it('lists hosts, groups and where each variable is set', () => {
    expect(renderInventoryText(inventory)).toBe(
      [
        'inventory/lab.ini: 3 hosts, 4 groups',
        '',
        'HOST     ADDRESS         USER       BECOME  GROUPS',
        'jump     [fe80::1]:2222  (default)  no      ungrouped',
        'server1  172.25.83.1:22  root       no      lab, servers',
        'server2  172.25.83.2:22  root       yes     lab, servers',
        '',
        'GROUP      HOSTS             CHILDREN',
        'all        (every host)      ungrouped, lab',
        'ungrouped  jump              -',
        'servers    server1, server2  -',
        'lab        -                 servers',
        '',
        'VARIABLES (all < parent groups < child groups < host)',
        '[all:vars]',
        '  image = busybox:latest',
        '  empty = ""',
        '[servers:vars]',
        '  ansible_user = root',
        '  ansible_group_priority = 3',
        'jump (host)',
        '  ansible_host = fe80::1',
        '  ansible_port = 2222',
        '  note = "  padded  "',
        'server1 (host)',
        '  ansible_host = 172.25.83.1',
        'server2 (host)',
        '  ansible_host = 172.25.83.2',
        '  ansible_become = yes',
        '',
      ].join('\n'),
    );
  });

  it('says so when there are no hosts and no variables', () => {
    const text = renderInventoryText(parseInventory('# empty\n', 'empty.ini'));
    expect(text).toContain('empty.ini: 0 hosts, 2 groups\n\nNo hosts.\n');
    expect(text).toMatch(/VARIABLES .*\n {2}\(none\)\n$/);
  });
});

describe('renderInventoryJson', () => {
  it('is the parsed Inventory, for tools', () => {
    const json = JSON.parse(renderInventoryJson(inventory)) as Record<string, unknown>;
    expect(json).toEqual(JSON.parse(JSON.stringify(inventory)));
    expect(json).toMatchObject({
      file: 'inventory/lab.ini',
      hosts: [
        { name: 'jump', address: 'fe80::1', port: 2222, groups: ['all', 'ungrouped'] },
        { name: 'server1', user: 'root', vars: { image: 'busybox:latest', empty: '' } },
        { name: 'server2', become: true },
      ],
      groups: {
        servers: { hosts: ['server1', 'server2'], priority: 3, depth: 2 },
        lab: { children: ['servers'] },
      },
    });
  });
});
