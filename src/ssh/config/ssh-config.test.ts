import { describe, expect, it } from 'vitest';
import { LabError } from '../../common/errors.js';
import { lookupSshConfig, parseSshConfig, type SshConfigValues } from './ssh-config.js';

const CONFIG = `# a user's config
Host bastion
  HostName 198.18.0.1
  User admin
  Port 2222

Host server3 !server3-direct
  ProxyJump bastion
  HostName 198.18.0.3

Host web?
  User webadmin

Host *.lab 198.18.*
  User labuser
  IdentityFile ~/.ssh/lab_%h
  StrictHostKeyChecking accept-new

Host SERVER9
  HostName never

Host *
  User fallback
  IdentityFile ~/.ssh/id_ed25519
  UserKnownHostsFile ~/.ssh/known_hosts_lab ~/.ssh/known_hosts2
  Port=22
`;

const config = parseSshConfig(CONFIG, 'cfg');
const look = (host: string, user?: string) =>
  lookupSshConfig(config, host, { localUser: 'me', ...(user !== undefined && { user }) });

describe('ssh_config lookup, as OpenSSH does it', () => {
  const cases: [string, string, Partial<SshConfigValues>][] = [
    [
      'an alias: its own block first, then Host * fills what is unset',
      'bastion',
      {
        hostName: '198.18.0.1',
        user: 'admin',
        port: 2222,
        identityFiles: ['~/.ssh/id_ed25519'],
        userKnownHostsFile: '~/.ssh/known_hosts_lab',
      },
    ],
    [
      'first obtained value wins: server3 keeps the User of Host * (no earlier one)',
      'server3',
      { hostName: '198.18.0.3', proxyJump: 'bastion', user: 'fallback', port: 22 },
    ],
    ['a negated pattern excludes the whole line', 'server3-direct', { user: 'fallback' }],
    ['? is exactly one character', 'web1', { user: 'webadmin' }],
    ['? does not match two', 'web12', { user: 'fallback' }],
    [
      'a wildcard over addresses; IdentityFile accumulates in order',
      '198.18.0.7',
      {
        user: 'labuser',
        identityFiles: ['~/.ssh/lab_%h', '~/.ssh/id_ed25519'],
        strictHostKeyChecking: 'accept-new',
      },
    ],
    ['host names compare case-insensitively', 'Server9', { hostName: 'never' }],
    ['nothing but Host * for an unknown host', 'elsewhere', { user: 'fallback', port: 22 }],
  ];
  it.each(cases)('%s (%s)', (_what, host, expected) => {
    expect(look(host)).toMatchObject(expected);
  });

  it('keywords are case-insensitive and "=" separates as well as blanks', () => {
    const c = parseSshConfig('HOST a\n  hostname=198.18.0.9\n  PORT = 2200\n', 'f');
    expect(lookupSshConfig(c, 'a', { localUser: 'me' })).toMatchObject({
      hostName: '198.18.0.9',
      port: 2200,
    });
  });

  it('Match host / originalhost / user / all are evaluated', () => {
    const c = parseSshConfig(
      [
        'Host alias',
        '  HostName 198.18.0.5',
        'Match host 198.18.0.5 user root',
        '  Port 2201',
        'Match originalhost alias',
        '  IdentityFile ~/.ssh/alias',
        'Match all',
        '  User root',
      ].join('\n'),
      'f',
    );
    expect(lookupSshConfig(c, 'alias', { localUser: 'me', user: 'root' })).toMatchObject({
      hostName: '198.18.0.5',
      port: 2201,
      identityFiles: ['~/.ssh/alias'],
      user: 'root',
    });
    expect(lookupSshConfig(c, 'alias', { localUser: 'me' }).port).toBeUndefined();
  });
});

describe('what lab refuses in an ssh_config, naming file and line', () => {
  const refused: [string, string, RegExp, number][] = [
    ['Match exec', 'Host a\n  User x\nMatch exec "true"\n  User y\n', /Match exec/, 3],
    ['Match canonical', '\n\nMatch canonical\n', /Match canonical/, 3],
    [
      'Include without a file',
      '# c\nInclude ~/.ssh/config.d/*\n',
      /Include needs the file it is in/,
      2,
    ],
    ['a bad Port', 'Host a\n  Port ssh\n', /Port must be 1 to 65535/, 2],
    ['ProxyCommand', 'Host a\n\n  ProxyCommand nc %h %p\n', /ProxyCommand is not supported/, 3],
    // The tokeniser's own failure (found by fuzzing): it names no line, lab finds it.
    ['Host without a pattern', 'Host a\n  User x\nHost ', /not a readable ssh_config/, 3],
  ];
  it.each(refused)('%s', (_what, text, message, line) => {
    const attempt = () => lookupSshConfig(parseSshConfig(text, 'cfg'), 'a', { localUser: 'me' });
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (err) {
      expect(err).toBeInstanceOf(LabError);
      expect((err as LabError).context).toMatchObject({ file: 'cfg', line });
    }
  });

  it('a ProxyCommand in a block that does not apply is no concern', () => {
    const c = parseSshConfig('Host other\n  ProxyCommand nc %h %p\n', 'cfg');
    expect(lookupSshConfig(c, 'a', { localUser: 'me' }).proxyJump).toBeUndefined();
  });

  it('ProxyCommand none switches jumps off for later blocks', () => {
    const c = parseSshConfig('Host a\n  ProxyCommand none\nHost *\n  ProxyJump b\n', 'cfg');
    expect(lookupSshConfig(c, 'a', { localUser: 'me' }).proxyJump).toBe('none');
  });
});
