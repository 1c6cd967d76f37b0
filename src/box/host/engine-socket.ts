import { createReadStream } from 'node:fs';
import { request } from 'node:http';
import { createLocalDockerClient } from '../../docker/connect-docker.js';
import type { EngineClient } from '../../docker/engine-client.js';

/**
 * The few Docker Engine API calls the box needs, straight over a host's unix socket from the machine
 * (no SSH, no docker CLI: nothing written to ~/.docker, no CLI start-up per call). The same Engine
 * client lab uses over SSH; this interface lets the box's tests swap it.
 */
export interface EngineApi {
  /** True when the daemon answers. */
  ping(socket: string): Promise<boolean>;
  version(socket: string): Promise<{ version: string; apiVersion: string }>;
  info(socket: string): Promise<{ id: string; name: string }>;
  imageExists(socket: string, ref: string): Promise<boolean>;
  /** `docker import` of a rootfs tar file, with Dockerfile-style changes such as `CMD ["/bin/sh"]`. */
  importImage(
    socket: string,
    tarFile: string,
    ref: string,
    changes: readonly string[],
  ): Promise<void>;
}

const PING_TIMEOUT_MS = 2_000;
const CALL_TIMEOUT_MS = 10_000;
const IMPORT_TIMEOUT_MS = 60_000;

/** A client for one use, closed after it (the box calls each socket a handful of times). */
async function withEngine<T>(
  socket: string,
  use: (client: EngineClient) => Promise<T>,
  requestTimeoutMs = CALL_TIMEOUT_MS,
): Promise<T> {
  const client = await createLocalDockerClient(socket, `Docker at ${socket}`, {
    maxConnections: 1,
    requestTimeoutMs,
  });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

export const engineOverSocket: EngineApi = {
  // /_ping, not /version: podman's /version asks dpkg which package each of its programs came from
  // and can take seconds on a busy machine.
  ping: (socket) => pingSocket(socket, PING_TIMEOUT_MS),

  version: (socket) =>
    withEngine(socket, async (client) => {
      const v = await client.version();
      return { version: v.version, apiVersion: v.apiVersion };
    }),

  info: (socket) =>
    withEngine(socket, async (client) => {
      const i = await client.info();
      return { id: i.id, name: i.name };
    }),

  imageExists: (socket, ref) => withEngine(socket, (client) => client.imageExists(ref)),

  importImage: (socket, tarFile, ref, changes) =>
    withEngine(
      socket,
      (client) => client.importImage(createReadStream(tarFile), ref, changes),
      IMPORT_TIMEOUT_MS,
    ),
};

/** True when GET /_ping on the socket answers 200 within the time. */
function pingSocket(socketPath: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
