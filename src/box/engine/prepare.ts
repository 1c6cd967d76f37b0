import type { Programs } from '../prerequisites.js';
import { machineDockerd, type HostEngine } from './host-engine.js';
import { mkdir } from 'node:fs/promises';
import { boxLayout } from '../layout.js';
import {
  ensureDockerRelease,
  prepareDockerRelease,
  type DockerReleaseFiles,
} from './docker-release.js';
import { preparePodman } from './podman.js';
import { DOCKER_RELEASES, type DockerRelease, type EngineChoice, type EngineSpec } from './spec.js';
import type { BoxSystem } from '../system/system.js';

/**
 * Each host's engine, ready to start: the machine's dockerd for hosts without --engine, otherwise
 * the engine kind's own preparation (fetched once per release, shared by every host that asks).
 */
export async function prepareEngines(
  sys: BoxSystem,
  programs: Programs,
  stateDir: string,
  hostNames: readonly string[],
  engines: EngineChoice,
): Promise<Record<string, HostEngine>> {
  const prepared = new Map<string, Promise<HostEngine>>();
  const prepare = (spec: EngineSpec): Promise<HostEngine> => {
    const key = JSON.stringify(spec);
    let engine = prepared.get(key);
    if (!engine) {
      engine = prepareEngine(sys, stateDir, spec);
      prepared.set(key, engine);
    }
    return engine;
  };
  const entries = await Promise.all(
    hostNames.map(async (host) => {
      const spec = engines[host];
      return [host, spec ? await prepare(spec) : machineDockerd(programs.dockerd)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function prepareEngine(
  sys: BoxSystem,
  stateDir: string,
  spec: EngineSpec,
): Promise<HostEngine> {
  switch (spec.kind) {
    case 'docker':
      return prepareDockerRelease(sys, stateDir, spec);
    case 'podman':
      return preparePodman(sys, stateDir, spec);
  }
}

/**
 * `lab box install`: fetches every Docker release the box offers into the engine cache now, so that
 * `lab box up --engine …` (and CI) never waits for the network. Returns what is cached.
 */
export async function prefetchEngines(
  sys: Pick<BoxSystem, 'runner' | 'report'>,
  stateDir: string,
): Promise<DockerReleaseFiles[]> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const cache = boxLayout(stateDir).engineCache;
  await mkdir(cache, { recursive: true, mode: 0o700 });
  const releases = Object.keys(DOCKER_RELEASES) as DockerRelease[];
  const files: DockerReleaseFiles[] = [];
  for (const release of releases) files.push(await ensureDockerRelease(sys, cache, release));
  return files;
}
