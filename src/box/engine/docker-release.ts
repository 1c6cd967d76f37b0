import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../../common/errors.js';
import { renderDockerdConfig } from '../host/dockerd-config.js';
import { boxLayout } from '../layout.js';
import { runChecked } from '../system/runner.js';
import type { BoxSystem } from '../system/system.js';
import { debianArchiveOf, downloadDebianPackage, machineAptSources } from './debian-fetch.js';
import type { HostEngine } from './host-engine.js';
import { DOCKER_RELEASES, isDockerRelease, type DockerRelease, type EngineSpec } from './spec.js';

/** A Docker release extracted into the engine cache: its programs and what `dockerd --version` said. */
export interface DockerReleaseFiles {
  release: DockerRelease;
  dockerd: string;
  dockerProxy: string;
  /** e.g. "Docker version 26.1.5+dfsg1, build 411e817" */
  version: string;
}

const READY = 'ready.json';

/** Where a release lives in the engine cache. */
export function dockerReleaseDir(engineCache: string, release: DockerRelease): string {
  return join(engineCache, `docker-${release}`);
}

function filesIn(dir: string, release: DockerRelease, version: string): DockerReleaseFiles {
  return {
    release,
    dockerd: join(dir, 'root', 'usr', 'sbin', 'dockerd'),
    dockerProxy: join(dir, 'root', 'usr', 'sbin', 'docker-proxy'),
    version,
  };
}

/** The cached release, if a complete fetch left it (ready.json is written last). */
export async function cachedDockerRelease(
  engineCache: string,
  release: DockerRelease,
): Promise<DockerReleaseFiles | undefined> {
  const dir = dockerReleaseDir(engineCache, release);
  const ready = await readFile(join(dir, READY), 'utf8').catch(() => undefined);
  if (ready === undefined) return undefined;
  const version = (JSON.parse(ready) as { version?: unknown }).version;
  return typeof version === 'string' ? filesIn(dir, release, version) : undefined;
}

/**
 * Debian's docker.io of the release's suite, downloaded with a private apt state (debian-fetch.ts)
 * and unpacked with `dpkg-deb -x` into the engine cache: never installed, nothing of the machine's
 * apt or dpkg touched. Cached: a second call only reads ready.json. The containerd, runc and
 * docker-init it runs with are the machine's (docker.io of `lab box install`).
 */
export async function ensureDockerRelease(
  sys: Pick<BoxSystem, 'runner' | 'report'>,
  engineCache: string,
  release: DockerRelease,
): Promise<DockerReleaseFiles> {
  const cached = await cachedDockerRelease(engineCache, release);
  if (cached) return cached;
  const { suite, debian } = DOCKER_RELEASES[release];
  const dir = dockerReleaseDir(engineCache, release);
  const work = `${dir}.partial`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true, mode: 0o700 });
  const archive = debianArchiveOf(await machineAptSources());
  sys.report(
    `fetching docker ${release} (${debian} ${suite}'s docker.io) from ${archive} into ${engineCache}`,
  );
  const deb = await downloadDebianPackage(
    {
      runner: sys.runner,
      aptDir: join(work, 'apt'),
      archive,
      suite,
      downloadDir: join(work, 'deb'),
    },
    'docker.io',
  );
  await runChecked(sys.runner, ['dpkg-deb', '-x', deb, join(work, 'root')], `unpacking ${deb}`, {
    kind: 'prerequisite',
  });
  const files = filesIn(work, release, '');
  const said = await runChecked(
    sys.runner,
    [files.dockerd, '--version'],
    `${files.dockerd} --version`,
    {
      kind: 'prerequisite',
    },
  );
  const version = said.stdout.trim();
  if (!version.startsWith(`Docker version ${release}.`)) {
    throw new LabError('prerequisite', `${deb} holds "${version}", not docker ${release}`, {
      hint: `Debian ${suite}'s docker.io has moved on: update DOCKER_RELEASES in src/box/engine/spec.ts`,
    });
  }
  // Only the programs are kept: the package lists and the .deb are ~100 MB that nothing reads again.
  await Promise.all([
    rm(join(work, 'apt'), { recursive: true, force: true }),
    rm(join(work, 'deb'), { recursive: true, force: true }),
  ]);
  await writeFile(join(work, READY), JSON.stringify({ release, suite, version }) + '\n');
  await rm(dir, { recursive: true, force: true });
  await rename(work, dir);
  return filesIn(dir, release, version);
}

/** A host's engine for `--engine HOST=26.1`: that release's dockerd and docker-proxy. */
export function dockerReleaseEngine(
  spec: Extract<EngineSpec, { kind: 'docker' }>,
  files: DockerReleaseFiles,
): HostEngine {
  return {
    spec,
    daemonArgv: (hostFiles) => [files.dockerd, '--config-file', hostFiles.dockerdConfig],
    daemonConfig: (input) =>
      renderDockerdConfig(
        { ...input, userlandProxyPath: files.dockerProxy },
        { identityKey: false },
      ),
  };
}

export async function prepareDockerRelease(
  sys: BoxSystem,
  stateDir: string,
  spec: Extract<EngineSpec, { kind: 'docker' }>,
): Promise<HostEngine> {
  if (!isDockerRelease(spec.release)) {
    throw new LabError('input', `docker ${spec.release} is not a release the box offers`, {
      hint: `one of: ${Object.keys(DOCKER_RELEASES).join(', ')}`,
    });
  }
  const files = await ensureDockerRelease(sys, boxLayout(stateDir).engineCache, spec.release);
  return dockerReleaseEngine(spec, files);
}
