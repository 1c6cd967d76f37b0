/** The engine profiles, by kind. */
import { DOCKER_ENGINE } from './docker.js';
import type { EngineKind, EngineProfile } from './engine-profile.js';
import { PODMAN_ENGINE } from './podman.js';

const PROFILES: Record<EngineKind, EngineProfile> = {
  docker: DOCKER_ENGINE,
  podman: PODMAN_ENGINE,
};

export function engineProfile(kind: EngineKind): EngineProfile {
  return PROFILES[kind];
}

export { DOCKER_ENGINE, PODMAN_ENGINE };
export { detectEngineKind, engineLabel } from './engine-profile.js';
export type { EngineKind, EngineProfile, Refusal, ChainPlace } from './engine-profile.js';
