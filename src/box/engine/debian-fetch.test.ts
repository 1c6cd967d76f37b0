import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunOptions, Runner } from '../system/runner.js';
import {
  debianArchiveOf,
  DEFAULT_DEBIAN_ARCHIVE,
  downloadDebianPackage,
  privateAptOptions,
} from './debian-fetch.js';
import { cachedDockerRelease, dockerReleaseEngine, ensureDockerRelease } from './docker-release.js';

/** Records every command; `apt-get download` leaves a .deb, dpkg-deb -x a dockerd that answers. */
function fakeRunner(version = 'Docker version 26.1.5+dfsg1, build 411e817') {
  const commands: string[][] = [];
  const runner: Runner = {
    async run(argv: readonly string[], _options?: RunOptions) {
      commands.push([...argv]);
      const ok = { exitCode: 0, stdout: '', stderr: '', durationMs: 1 };
      if (argv.includes('download')) {
        await writeFile(join(argv[4]!, 'docker.io_26.1.5+dfsg1-9+deb13u1+b1_amd64.deb'), 'deb');
      }
      if (argv[1] === '--version') return { ...ok, stdout: `${version}\n` };
      return ok;
    },
    spawnDaemon: () => Promise.reject(new Error('not here')),
  };
  return { runner, commands };
}

describe('fetching a Debian package without touching the machine’s apt', () => {
  it('points every apt directory and the dpkg status at the private ones', () => {
    const options = privateAptOptions('/c/apt').join(' ');
    expect(options).toContain('-o Dir::Etc::sourcelist=/c/apt/sources.list');
    expect(options).toContain('-o Dir::Etc::sourceparts=/dev/null');
    expect(options).toContain('-o Dir::State::Lists=/c/apt/lists');
    expect(options).toContain('-o Dir::Cache=/c/apt/cache');
    expect(options).toContain('-o Dir::State::status=/c/apt/status');
    expect(options).not.toMatch(/\/var\/lib\/(apt|dpkg)|\/etc\/apt\/sources/);
  });

  it('takes the Debian archive the machine’s own sources name (deb822 and one-line), else Debian’s', () => {
    expect(
      debianArchiveOf([
        'Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n',
        'Types: deb\nURIs: http://mirror.example/debian/\nSuites: bookworm\n',
      ]),
    ).toBe('http://mirror.example/debian');
    expect(
      debianArchiveOf(['deb [arch=amd64] http://ftp.de.debian.org/debian bookworm main\n']),
    ).toBe('http://ftp.de.debian.org/debian');
    expect(debianArchiveOf(['# nothing\n'])).toBe(DEFAULT_DEBIAN_ARCHIVE);
  });

  it('downloads (never installs) with the private sources list of the suite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-fetch-'));
    const { runner, commands } = fakeRunner();
    const deb = await downloadDebianPackage(
      {
        runner,
        aptDir: join(dir, 'apt'),
        archive: 'http://deb.debian.org/debian',
        suite: 'trixie',
        downloadDir: join(dir, 'deb'),
      },
      'docker.io',
    );
    expect(deb).toMatch(/docker\.io_26\.1\.5.*\.deb$/);
    expect(await readFile(join(dir, 'apt', 'sources.list'), 'utf8')).toBe(
      'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main\n',
    );
    expect(await readFile(join(dir, 'apt', 'status'), 'utf8')).toBe('');
    const words = commands.flat();
    expect(words).toContain('update');
    expect(words).toContain('download');
    expect(words).not.toContain('install');
  });
});

describe('a Docker release in the engine cache', () => {
  it('is fetched, unpacked with dpkg-deb -x and checked once, then read from the cache', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'lab-engine-cache-'));
    const { runner, commands } = fakeRunner();
    const sys = { runner, report: () => {} };
    const files = await ensureDockerRelease(sys, cache, '26.1');
    expect(files.dockerd).toBe(join(cache, 'docker-26.1', 'root', 'usr', 'sbin', 'dockerd'));
    expect(files.dockerProxy).toBe(
      join(cache, 'docker-26.1', 'root', 'usr', 'sbin', 'docker-proxy'),
    );
    expect(files.version).toBe('Docker version 26.1.5+dfsg1, build 411e817');
    expect(commands.some((argv) => argv[0] === 'dpkg-deb' && argv[1] === '-x')).toBe(true);
    const count = commands.length;
    expect(await ensureDockerRelease(sys, cache, '26.1')).toEqual(files);
    expect(commands.length).toBe(count);
    expect(await cachedDockerRelease(cache, '26.1')).toEqual(files);
  });

  it('refuses a package that holds another release, and caches nothing', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'lab-engine-cache-'));
    const { runner } = fakeRunner('Docker version 27.5.1+dfsg4, build 9f9e405');
    await expect(ensureDockerRelease({ runner, report: () => {} }, cache, '26.1')).rejects.toThrow(
      /holds "Docker version 27\.5\.1\+dfsg4, build 9f9e405", not docker 26\.1/,
    );
    expect(await cachedDockerRelease(cache, '26.1')).toBeUndefined();
  });
});

describe('a host on another Docker release', () => {
  it('runs that release’s dockerd with its own docker-proxy and without the 20.10-only key path', () => {
    const engine = dockerReleaseEngine(
      { kind: 'docker', release: '26.1' },
      { release: '26.1', dockerd: '/c/dockerd', dockerProxy: '/c/docker-proxy', version: 'v' },
    );
    const files = { dockerdConfig: '/s/server2/daemon.json' } as Parameters<
      typeof engine.daemonArgv
    >[0];
    expect(engine.daemonArgv(files)).toEqual([
      '/c/dockerd',
      '--config-file',
      '/s/server2/daemon.json',
    ]);
    const config = JSON.parse(
      engine.daemonConfig({
        dataRoot: '/s/server2/docker',
        identityKey: '/s/server2/docker-identity.json',
        cgroupParent: 'labbox-server2',
        addresses: { bip: '198.19.144.1/24', poolBase: '198.19.144.0/20', poolSize: 24 },
      }),
    ) as Record<string, unknown>;
    expect(config['deprecated-key-path']).toBeUndefined();
    expect(config['userland-proxy-path']).toBe('/c/docker-proxy');
    expect(config['bip']).toBe('198.19.144.1/24');
    expect(engine.spec).toEqual({ kind: 'docker', release: '26.1' });
  });
});
