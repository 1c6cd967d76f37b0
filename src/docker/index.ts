/** The Docker layer's public surface: the Engine API as a DockerClient, over SSH or a local socket. */
export type * from './docker-client.js';
export {
  connectDocker,
  createLocalDockerClient,
  DEFAULT_DOCKER_SOCKET,
  type DockerConnectOptions,
} from './connect-docker.js';
export { dockerStatusOf } from './docker-errors.js';
export { MAX_API_VERSION, MIN_API_VERSION } from './api-version.js';
