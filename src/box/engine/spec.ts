import { z } from 'zod';
import { LabError } from '../../common/errors.js';

/**
 * Which engine a box host runs (`lab box up --engine HOST=SPEC`). A host without one runs the
 * machine's own dockerd (the `docker.io` that `lab box install` installs).
 */
export const engineSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('docker'), release: z.string() }),
  z.object({ kind: z.literal('podman') }),
]);

export type EngineSpec = z.infer<typeof engineSpecSchema>;

/** Host name → engine, for the hosts that do not run the machine's dockerd. */
export type EngineChoice = Readonly<Record<string, EngineSpec>>;

/**
 * The Docker releases a box host can run besides the machine's own: each is Debian's `docker.io` of
 * one suite, fetched as .deb and extracted into the box's cache, never installed (docker-release.ts).
 */
export const DOCKER_RELEASES = {
  '26.1': { suite: 'trixie', debian: 'Debian 13' },
} as const;

export type DockerRelease = keyof typeof DOCKER_RELEASES;

export function isDockerRelease(release: string): release is DockerRelease {
  return Object.hasOwn(DOCKER_RELEASES, release);
}

/** What SPEC may be, for error messages and --help. */
export function allowedEngineSpecs(): string[] {
  return [...Object.keys(DOCKER_RELEASES), 'podman'];
}

/** "docker 26.1", "podman": how an engine is named in output and errors. */
export function describeEngine(spec: EngineSpec): string {
  return spec.kind === 'docker' ? `docker ${spec.release}` : 'podman';
}

/** SPEC of `--engine HOST=SPEC` as a typed value; a message that lists what is allowed otherwise. */
export function parseEngineSpec(text: string): EngineSpec | { problem: string } {
  const spec = text.trim().toLowerCase();
  if (spec === 'podman') return { kind: 'podman' };
  const release = spec.replace(/^docker[-:]?/, '');
  if (isDockerRelease(release)) return { kind: 'docker', release };
  return {
    problem: `${JSON.stringify(text)} is not an engine the box offers (allowed: ${allowedEngineSpecs().join(', ')}; a host without --engine runs the machine's own dockerd)`,
  };
}

const ENGINE_HINT = '--engine server2=26.1 gives server2 Debian 13’s dockerd 26.1 (repeatable)';

/** `--engine server2=26.1` (repeatable) as { server2: { kind: 'docker', release: '26.1' } }. */
export function parseEngineOption(values: readonly string[] | undefined): EngineChoice {
  const engines: Record<string, EngineSpec> = {};
  for (const value of values ?? []) {
    const m = /^([A-Za-z0-9_-]+)=(.*)$/.exec(value.trim());
    if (!m?.[1] || m[2] === undefined) {
      throw new LabError('input', `--engine ${JSON.stringify(value)} is not HOST=SPEC`, {
        hint: ENGINE_HINT,
      });
    }
    if (Object.hasOwn(engines, m[1])) {
      throw new LabError('input', `--engine names ${m[1]} twice`, { hint: ENGINE_HINT });
    }
    const spec = parseEngineSpec(m[2]);
    if ('problem' in spec) {
      throw new LabError('input', `--engine ${m[1]}=${m[2]}: ${spec.problem}`, {
        hint: ENGINE_HINT,
      });
    }
    engines[m[1]] = spec;
  }
  return engines;
}

/** Refuses engines for hosts the box will not have, before anything is touched. */
export function checkEngineHosts(hostNames: readonly string[], engines: EngineChoice): void {
  for (const host of Object.keys(engines)) {
    if (!hostNames.includes(host)) {
      throw new LabError(
        'input',
        `--engine ${host}=${describeEngine(engines[host]!)}: ${host} is not one of the box's hosts (${hostNames.join(', ')})`,
        { hint: ENGINE_HINT },
      );
    }
  }
}

/** "server2=docker 26.1,server3=podman", sorted: how a box's engines are compared and reported. */
export function describeEngines(engines: EngineChoice): string {
  return Object.entries(engines)
    .map(([host, spec]) => `${host}=${describeEngine(spec)}`)
    .sort()
    .join(',');
}
