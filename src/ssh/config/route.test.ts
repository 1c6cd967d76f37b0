import { describe, expect, it } from 'vitest';
import type { SshTarget } from '../target.js';
import { describeRoute, parseJumpSpec, resolveRoute, type RouteRequest } from './route.js';
import { emptySshConfig, parseSshConfig } from './ssh-config.js';

const SSH_CONFIG = parseSshConfig(
  [
    'Host bastion',
    '  HostName 198.18.0.100',
    '  User jumper',
    '  IdentityFile ~/.ssh/bastion_%r',
    '  UserKnownHostsFile ~/.ssh/kh_bastion',
    'Host inner',
    '  HostName 198.18.0.101',
    '  ProxyJump bastion',
    'Host 198.18.0.3',
    '  Port 2203',
    '  User cfguser',
    '  StrictHostKeyChecking no',
    'Host server5',
    '  HostName 198.18.0.5',
    '  ProxyJump inner',
  ].join('\n'),
  'cfg',
);

const inventory: Record<string, RouteRequest> = {
  server1: {
    host: 'server1',
    address: '198.18.0.1',
    port: 22,
    user: 'root',
    privateKeyFile: '~/box/id',
    knownHostsFile: '/box/known_hosts',
    become: false,
    args: [],
  },
};

const context = (config = SSH_CONFIG) => ({
  config,
  homeDir: '/home/me',
  localUser: 'me',
  inventoryHost: (name: string) => inventory[name],
});

const host = (over: Omit<Partial<RouteRequest>, 'args'> & { args?: string }): RouteRequest => ({
  host: 'server3',
  address: '198.18.0.3',
  become: false,
  ...over,
  args:
    over.args === undefined
      ? []
      : [{ host: 'server3', variable: 'ansible_ssh_common_args', value: over.args }],
});

describe('a host’s route: inventory, then ssh args, then ssh_config', () => {
  const cases: [string, RouteRequest, string, Partial<SshTarget>][] = [
    [
      'ssh_config fills what the inventory leaves unset',
      host({}),
      'cfguser@198.18.0.3:2203',
      { acceptNewHostKeys: true },
    ],
    [
      'the inventory’s port and user win over ssh_config',
      host({ port: 22, user: 'root' }),
      'root@198.18.0.3:22',
      {},
    ],
    [
      '-o ProxyJump to an inventory host uses its inventory settings',
      host({ user: 'root', port: 22, args: '-o ProxyJump=server1' }),
      'root@198.18.0.3:22 via root@server1 (198.18.0.1:22)',
      {
        jumps: [
          {
            host: 'server1',
            address: '198.18.0.1',
            port: 22,
            user: 'root',
            privateKeyFile: '/home/me/box/id',
            knownHostsFile: '/box/known_hosts',
          },
        ],
      },
    ],
    [
      '-J to an ssh_config alias: HostName, User, IdentityFile (%r), UserKnownHostsFile',
      host({ user: 'root', port: 22, args: '-J bastion' }),
      'root@198.18.0.3:22 via jumper@bastion (198.18.0.100:22)',
      {
        jumps: [
          {
            host: 'bastion',
            address: '198.18.0.100',
            port: 22,
            user: 'jumper',
            identityFiles: ['/home/me/.ssh/bastion_jumper'],
            knownHostsFile: '/home/me/.ssh/kh_bastion',
          },
        ],
      },
    ],
    [
      'user@host:port in -J wins over ssh_config for that hop',
      host({ user: 'root', port: 22, args: '-J ops@bastion:2022' }),
      'root@198.18.0.3:22 via ops@bastion (198.18.0.100:2022)',
      {},
    ],
    [
      'a chain a,b: b is reached through a',
      host({ user: 'root', port: 22, args: '-J server1,ops@198.18.0.50' }),
      'root@198.18.0.3:22 via root@server1 (198.18.0.1:22), ops@198.18.0.50 (198.18.0.50:22)',
      {},
    ],
    [
      'a jump host’s own ProxyJump (ssh_config) comes before it',
      host({ address: 'server5', host: 'server5', user: 'root', port: 22 }),
      'root@198.18.0.5:22 via jumper@bastion (198.18.0.100:22), inner (198.18.0.101:22)',
      {},
    ],
    [
      'ProxyJump=none in the args wins over ssh_config',
      host({
        address: 'server5',
        host: 'server5',
        user: 'root',
        port: 22,
        args: '-o ProxyJump=none',
      }),
      'root@198.18.0.5:22',
      {},
    ],
    [
      'a jump host known only from ProxyJump checks its key where the host behind it does',
      host({ user: 'root', port: 22, knownHostsFile: '/box/kh', args: '-J ops@198.18.0.50' }),
      'root@198.18.0.3:22 via ops@198.18.0.50 (198.18.0.50:22)',
      {
        jumps: [
          {
            host: '198.18.0.50',
            address: '198.18.0.50',
            port: 22,
            user: 'ops',
            knownHostsFile: '/box/kh',
          },
        ],
      },
    ],
    ['no ssh_config: the inventory as it is', host({ user: 'root' }), 'root@198.18.0.3:22', {}],
    [
      'no ssh_config and no key anywhere: ssh’s default keys, as ssh (and Ansible through it) offers them',
      host({ user: 'root', args: '-J ops@198.18.0.50' }),
      'root@198.18.0.3:22 via ops@198.18.0.50 (198.18.0.50:22)',
      {
        identityFiles: [
          '/home/me/.ssh/id_rsa',
          '/home/me/.ssh/id_ecdsa',
          '/home/me/.ssh/id_ed25519',
        ],
        jumps: [
          {
            host: '198.18.0.50',
            address: '198.18.0.50',
            port: 22,
            identityFiles: [
              '/home/me/.ssh/id_rsa',
              '/home/me/.ssh/id_ecdsa',
              '/home/me/.ssh/id_ed25519',
            ],
          },
        ],
      },
    ],
  ];
  it.each(cases)('%s', (_what, request, route, expected) => {
    const config = _what.startsWith('no ssh_config') ? emptySshConfig() : SSH_CONFIG;
    const target = resolveRoute(request, context(config));
    expect(describeRoute(target)).toBe(route);
    expect(target).toMatchObject(expected);
  });

  it('refuses a loop of jump hosts', () => {
    const loop = parseSshConfig('Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n', 'cfg');
    expect(() => resolveRoute(host({ args: '-J a' }), context(loop))).toThrow(/loop/);
  });

  it.each([['-J "bad host"'], ['-J -oops'], ['-J a:99999'], ['-J a@']])(
    'refuses a malformed jump %s, naming the host',
    (args) => {
      expect(() => resolveRoute(host({ args }), context())).toThrow(/^server3: ProxyJump/);
    },
  );

  it('refuses unknown %-tokens and ~user paths', () => {
    expect(() => resolveRoute(host({ privateKeyFile: '~/.ssh/%C' }), context())).toThrow(
      /token %C is not supported/,
    );
    expect(() => resolveRoute(host({ privateKeyFile: '~bob/key' }), context())).toThrow(
      /~user paths/,
    );
  });
});

describe('ProxyJump values', () => {
  it.each([
    ['a', [{ host: 'a' }]],
    ['root@a:2222', [{ host: 'a', user: 'root', port: 2222 }]],
    ['ssh://u@h:22', [{ host: 'h', user: 'u', port: 22 }]],
    ['a, b', [{ host: 'a' }, { host: 'b' }]],
    ['[fd00::1]:22', [{ host: 'fd00::1', port: 22 }]],
  ])('%s', (text, hops) => {
    expect(parseJumpSpec(text, 'h')).toEqual(hops);
  });
});
