import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../common/errors.js';
import { expandInclude, readSshConfigFile, type ConfigFiles } from './include.js';
import { lookupSshConfig } from './ssh-config.js';

/** An in-memory file system: paths → texts; directories are implied by the paths. */
function memoryFiles(tree: Record<string, string>, home = '/home/me'): ConfigFiles {
  const dirs = new Set(Object.keys(tree).flatMap((f) => ancestors(f)));
  return {
    home,
    read: async (file) => tree[file],
    list: async (dir) => [
      ...new Set(
        [...Object.keys(tree), ...dirs]
          .filter((p) => path.dirname(p) === dir && p !== dir)
          .map((p) => path.basename(p)),
      ),
    ],
    isDirectory: async (file) => dirs.has(file),
  };
}

function ancestors(file: string): string[] {
  const out: string[] = [];
  for (let d = path.dirname(file); d !== '/'; d = path.dirname(d)) out.push(d);
  return out;
}

const look = async (tree: Record<string, string>, host: string) =>
  lookupSshConfig(
    await readSshConfigFile('/home/me/.ssh/config', '~/.ssh/config', memoryFiles(tree)),
    host,
    { localUser: 'me' },
  );

describe('ssh_config Include, as OpenSSH follows it', () => {
  it('reads relative paths from ~/.ssh, globs in lexical order, first value still wins', async () => {
    const values = await look(
      {
        '/home/me/.ssh/config': 'Include config.d/*.conf\nHost *\n  User fallback\n',
        '/home/me/.ssh/config.d/20-b.conf': 'Host server1\n  User second\n  Port 2200\n',
        '/home/me/.ssh/config.d/10-a.conf': 'Host server1\n  User first\n',
        '/home/me/.ssh/config.d/.hidden.conf': 'Host server1\n  HostName 198.18.0.99\n',
        '/home/me/.ssh/config.d/notes.txt': 'Host server1\n  HostName 198.18.0.98\n',
      },
      'server1',
    );
    expect(values).toMatchObject({ user: 'first', port: 2200 });
    expect(values.hostName).toBeUndefined();
  });

  it('expands ~ and absolute paths, and skips a pattern that matches nothing', async () => {
    const files = memoryFiles({ '/home/me/lab/ssh.conf': '', '/etc/lab/a': '' });
    expect(await expandInclude('~/lab/*.conf', files)).toEqual(['/home/me/lab/ssh.conf']);
    expect(await expandInclude('/etc/lab/[ab]', files)).toEqual(['/etc/lab/a']);
    expect(await expandInclude('nothing/*', files)).toEqual([]);
    expect(await expandInclude('/etc/lab', files)).toEqual([]); // a directory is not a config file
  });

  it('an Include inside a Host section applies only to that host; the section goes on after it', async () => {
    const tree = {
      '/home/me/.ssh/config':
        'Host server3\n  Include jump.conf\n  Port 2203\nHost *\n  User fallback\n',
      // The included file's own Host line does not end server3's section in the including file.
      '/home/me/.ssh/jump.conf': 'ProxyJump server1\nHost server*\n  User labuser\n',
    };
    expect(await look(tree, 'server3')).toMatchObject({
      proxyJump: 'server1',
      user: 'labuser',
      port: 2203,
    });
    const server2 = await look(tree, 'server2');
    expect(server2).toMatchObject({ user: 'fallback' });
    expect(server2.proxyJump).toBeUndefined();
  });

  it('nests, up to OpenSSH’s 16 files; a file including itself is refused with file and line', async () => {
    const chain: Record<string, string> = { '/home/me/.ssh/config': 'Include c1\n' };
    for (let i = 1; i < 16; i++) chain[`/home/me/.ssh/c${i}`] = `Include c${i + 1}\n`;
    chain['/home/me/.ssh/c16'] = 'Host deep\n  User bottom\n';
    expect(await look(chain, 'deep')).toMatchObject({ user: 'bottom' });

    const loop = { '/home/me/.ssh/config': '# loops\nInclude config\n' };
    const err = await look(loop, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toMatch(/Include nested more than 16 files deep/);
    expect((err as LabError).context).toMatchObject({ file: '/home/me/.ssh/config', line: 2 });
  });

  it('names the included file and line of what it refuses there', async () => {
    const err = await look(
      {
        '/home/me/.ssh/config': 'Include extra\n',
        '/home/me/.ssh/extra': 'Host a\n  Port 99999\nMatch exec "true"\n',
      },
      'a',
    ).catch((e: unknown) => e);
    expect((err as LabError).message).toMatch(/Match exec/);
    expect((err as LabError).context).toMatchObject({ file: '/home/me/.ssh/extra', line: 3 });
  });
});
