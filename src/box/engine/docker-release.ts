import { LabError } from '../../common/errors.js';
import type { HostEngine } from './host-engine.js';
import { DOCKER_RELEASES, isDockerRelease, type EngineSpec } from './spec.js';
import type { BoxSystem } from '../system/system.js';

/**
 * A Docker release other than the machine's (`--engine HOST=26.1`): Debian's docker.io of that
 * release, extracted into the box's cache and never installed.
 */
export async function prepareDockerRelease(
  _sys: BoxSystem,
  _stateDir: string,
  spec: Extract<EngineSpec, { kind: 'docker' }>,
): Promise<HostEngine> {
  if (!isDockerRelease(spec.release)) {
    throw new LabError('input', `docker ${spec.release} is not a release the box offers`, {
      hint: `one of: ${Object.keys(DOCKER_RELEASES).join(', ')}`,
    });
  }
  throw new LabError('prerequisite', `docker ${spec.release} is not available in this box yet`, {
    hint: 'leave the host on the machine’s dockerd (no --engine)',
  });
}
