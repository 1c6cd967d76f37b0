import { describe, expect, it } from 'vitest';
import { parseSshArgs, type SshArgsSource } from './ssh-args.js';
import type { SshConfigValues } from './ssh-config.js';

const common = (value: string): SshArgsSource => ({
  host: 'server3',
  variable: 'ansible_ssh_common_args',
  value,
});
const extra = (value: string): SshArgsSource => ({
  host: 'server3',
  variable: 'ansible_ssh_extra_args',
  value,
});

describe('ansible_ssh_common_args / ansible_ssh_extra_args', () => {
  const read: [string, SshArgsSource[], Partial<SshConfigValues>][] = [
    ['-o ProxyJump=…', [common('-o ProxyJump=server1')], { proxyJump: 'server1' }],
    ['-oProxyJump=… (attached)', [common('-oProxyJump=server1')], { proxyJump: 'server1' }],
    ['-o "ProxyJump a,b" (blank)', [common('-o "ProxyJump a,b"')], { proxyJump: 'a,b' }],
    ['-J …', [common('-J root@198.18.0.1:22')], { proxyJump: 'root@198.18.0.1:22' }],
    ['-Jhost (attached)', [common('-Jbastion')], { proxyJump: 'bastion' }],
    ['keywords any case', [common('-o proxyjump=b')], { proxyJump: 'b' }],
    [
      'common args come first: their value wins',
      [common('-o ProxyJump=a'), extra('-J b')],
      { proxyJump: 'a' },
    ],
    [
      'client tuning is ignored',
      [common('-o ControlMaster=auto -o ControlPersist=60s -C -q -o ServerAliveInterval=5')],
      {},
    ],
    [
      'user, port, key and host key settings',
      [
        common(
          "-l admin -p 2222 -i '~/.ssh/my key' -o UserKnownHostsFile=/tmp/kh -o StrictHostKeyChecking=accept-new",
        ),
      ],
      {
        user: 'admin',
        port: 2222,
        identityFiles: ['~/.ssh/my key'],
        userKnownHostsFile: '/tmp/kh',
        strictHostKeyChecking: 'accept-new',
      },
    ],
    ['ProxyCommand none', [common('-o ProxyCommand=none')], { proxyJump: 'none' }],
    ['empty', [common('  ')], { identityFiles: [] }],
  ];
  it.each(read)('%s', (_what, sources, expected) => {
    expect(parseSshArgs(sources)).toMatchObject(expected);
  });

  const refused: [string, SshArgsSource, RegExp][] = [
    [
      'ProxyCommand',
      common('-o ProxyCommand="ssh -W %h:%p bastion"'),
      /server3: ansible_ssh_common_args: ProxyCommand is not supported/,
    ],
    ['a port forward', extra('-L 8080:localhost:80'), /ansible_ssh_extra_args: `-L`/],
    ['an unknown -o', common('-o Tunnel=yes'), /`-o Tunnel=yes` is an ssh option lab does not/],
    ['-o without a value', common('-o'), /-o needs a value/],
    ['-o without "="', common('-o ProxyJump'), /not an ssh option/],
    ['an unbalanced quote', common("-o 'ProxyJump=a"), /unbalanced ' quote/],
    ['a bad port', common('-p 0'), /port must be 1 to 65535/],
  ];
  it.each(refused)('refuses %s, naming host and variable', (_what, source, message) => {
    expect(() => parseSshArgs([source])).toThrow(message);
  });
});
