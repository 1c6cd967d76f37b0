/**
 * Fuzzing ssh_config (issue 10 item 8, issue 11 item 2): generated ~/.ssh/config files, mutations of a
 * realistic one plus random keyword lines, some including others, read as `--ssh-config` reads
 * them (Include followed, through an in-memory file system) and then used to route inventory hosts
 * (HostName, ProxyJump chains, IdentityFile tokens). Each must give routes or bad input naming a
 * file and line, never another exception. Nothing here opens a connection.
 */
import path from 'node:path';
import fc from 'fast-check';
import { LabError } from '../../src/common/errors.js';
import { readSshConfigFile, type ConfigFiles } from '../../src/ssh/config/include.js';
import { resolveRoute, type RouteRequest } from '../../src/ssh/config/route.js';
import { type Verdict } from './inputs.js';
import { applyEdits, editsOf } from './edits.js';

const HOME = '/home/fuzz';

const SEED_CONFIG = `# a user's config
Include config.d/*
Host bastion bastion.example
  HostName 198.18.0.1
  User ops
  Port 2222
  IdentityFile ~/.ssh/id_%r@%h
  UserKnownHostsFile ~/.ssh/known_hosts.d/%h
Host 198.18.0.3 inner
  ProxyJump bastion
  StrictHostKeyChecking accept-new
Host server?
  User root
Match host 198.18.0.* user root
  IdentityFile ~/.ssh/lab
Host *
  ServerAliveInterval 10
`;

const WORDS = [
  'Host',
  'Match',
  'HostName',
  'User',
  'Port',
  'IdentityFile',
  'ProxyJump',
  'ProxyCommand',
  'UserKnownHostsFile',
  'StrictHostKeyChecking',
  'Include',
  'all',
  'exec',
  'canonical',
  'final',
  'host',
  'originalhost',
  'localuser',
  'none',
  'yes',
  'no',
  'ask',
  'accept-new',
  '=',
  '"',
  '*',
  '?',
  '!',
  ',',
  '%h',
  '%r',
  '%p',
  '%z',
  '%%',
  '~',
  '~root/x',
  'ssh://ops@bastion:22',
  'a,b,c',
  'bastion',
  'inner',
  'server1',
  '198.18.0.9',
  '0',
  '65536',
  '-1',
  'config.d/*',
  'config',
  '/etc/ssh/ssh_config',
  '\t',
  '\n',
  '#',
];

/** The seed config mutated, random keyword lines, or either with a second file it may include. */
const configText = fc.oneof(
  { weight: 3, arbitrary: editsOf(WORDS).map((edits) => applyEdits(SEED_CONFIG, edits)) },
  {
    weight: 1,
    arbitrary: fc
      .array(
        fc
          .tuple(
            fc.constantFrom('', '  '),
            fc.constantFrom(...WORDS),
            fc.constantFrom(' ', '=', '\t'),
            fc.array(fc.constantFrom(...WORDS), { maxLength: 3 }),
          )
          .map(([pad, k, sep, vs]) => `${pad}${k}${sep}${vs.join(' ')}`),
        { maxLength: 12 },
      )
      .map((lines) => lines.join('\n')),
  },
);

export const sshConfigFiles = fc.record({ main: configText, included: configText });

/** An in-memory ~/.ssh: config, and config.d/extra (what the seed's Include finds), which includes back. */
function memoryFiles(main: string, included: string): ConfigFiles {
  const ssh = path.join(HOME, '.ssh');
  const texts = new Map([
    [path.join(ssh, 'config'), main],
    [path.join(ssh, 'config.d', 'extra'), included],
  ]);
  return {
    home: HOME,
    read: (file) => Promise.resolve(texts.get(file)),
    list: (dir) =>
      Promise.resolve(
        [...texts.keys()].filter((f) => path.dirname(f) === dir).map((f) => path.basename(f)),
      ),
    isDirectory: (file) => Promise.resolve([...texts.keys()].some((f) => path.dirname(f) === file)),
  };
}

const request = (host: string, address: string, args = ''): RouteRequest => ({
  host,
  address,
  become: false,
  args: args === '' ? [] : [{ host, variable: 'ansible_ssh_common_args', value: args }],
});

/** The inventory the configs route: a direct host, one by name, and one behind a jump host. */
const HOSTS: RouteRequest[] = [
  request('server1', '198.18.0.1'),
  request('inner', 'inner'),
  request('server3', '198.18.0.3', '-o ProxyJump=server1'),
];

/** An ssh_config pair read as --ssh-config reads it, then every host routed through it. */
export async function checkSshConfig(files: { main: string; included: string }): Promise<Verdict> {
  try {
    const config = await readSshConfigFile(
      path.join(HOME, '.ssh', 'config'),
      '~/.ssh/config',
      memoryFiles(files.main, files.included),
    );
    const byName = new Map(HOSTS.map((h) => [h.host, h]));
    for (const h of HOSTS) {
      resolveRoute(h, {
        config,
        homeDir: HOME,
        localUser: 'fuzz',
        inventoryHost: (name) => byName.get(name),
      });
    }
    return 'ok';
  } catch (err) {
    if (!(err instanceof LabError) || err.kind !== 'input') {
      throw new Error(
        `not an input error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
    }
    // A config's own mistakes name its file and line; a route's name the host and setting.
    if (
      err.context.host === undefined &&
      (err.context.file === undefined || err.context.line === undefined)
    ) {
      throw new Error(`bad input without a file and line or a host: ${err.describe()}`);
    }
    return 'bad input';
  }
}
