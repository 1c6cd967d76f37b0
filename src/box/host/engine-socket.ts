import { createReadStream } from 'node:fs';
import { request } from 'node:http';
import { LabError } from '../../common/errors.js';

/**
 * The few Docker Engine API calls the box needs, straight over a host's unix socket from the machine
 * (no SSH, no docker CLI: nothing written to ~/.docker, no CLI start-up per call).
 */
export interface EngineApi {
  /** True when the daemon answers /_ping with OK. */
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

interface HttpAnswer {
  status: number;
  body: string;
}

function call(
  socket: string,
  method: string,
  path: string,
  options: { body?: NodeJS.ReadableStream; contentType?: string; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: socket,
        method,
        path,
        headers: {
          Host: 'docker',
          ...(options.contentType ? { 'Content-Type': options.contentType } : {}),
        },
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms`)),
    );
    req.on('error', reject);
    if (options.body) options.body.pipe(req);
    else req.end();
  });
}

async function callJson<T>(socket: string, path: string): Promise<T> {
  let answer: HttpAnswer;
  try {
    answer = await call(socket, 'GET', path);
  } catch (err) {
    throw new LabError(
      'host',
      `Docker at ${socket} did not answer ${path}`,
      { command: `GET ${path}` },
      { cause: err },
    );
  }
  if (answer.status !== 200) {
    throw new LabError(
      'remote',
      `Docker at ${socket} answered ${path} with HTTP ${answer.status}`,
      {
        command: `GET ${path}`,
        stderrTail: answer.body.slice(0, 500),
      },
    );
  }
  return JSON.parse(answer.body) as T;
}

export const engineOverSocket: EngineApi = {
  async ping(socket) {
    try {
      const answer = await call(socket, 'GET', '/_ping', { timeoutMs: 2_000 });
      return answer.status === 200 && answer.body === 'OK';
    } catch {
      return false;
    }
  },

  async version(socket) {
    const body = await callJson<{ Version: string; ApiVersion: string }>(socket, '/version');
    return { version: body.Version, apiVersion: body.ApiVersion };
  },

  async info(socket) {
    const body = await callJson<{ ID: string; Name: string }>(socket, '/info');
    return { id: body.ID, name: body.Name };
  },

  async imageExists(socket, ref) {
    const answer = await call(socket, 'GET', `/images/${encodeURIComponent(ref)}/json`).catch(
      (err: unknown) => {
        throw new LabError('host', `Docker at ${socket} did not answer`, {}, { cause: err });
      },
    );
    return answer.status === 200;
  },

  async importImage(socket, tarFile, ref, changes) {
    const colon = ref.lastIndexOf(':');
    const query = new URLSearchParams({
      fromSrc: '-',
      repo: ref.slice(0, colon),
      tag: ref.slice(colon + 1),
    });
    for (const change of changes) query.append('changes', change);
    const path = `/images/create?${query.toString()}`;
    let answer: HttpAnswer;
    try {
      answer = await call(socket, 'POST', path, {
        body: createReadStream(tarFile),
        contentType: 'application/x-tar',
        timeoutMs: 60_000,
      });
    } catch (err) {
      throw new LabError(
        'host',
        `importing ${ref} into Docker at ${socket} failed`,
        { file: tarFile },
        { cause: err },
      );
    }
    // The answer is a stream of JSON progress messages; a failure is a message with "error", under HTTP 200.
    const failure = answer.body
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { error?: string })
      .find((message) => message.error);
    if (answer.status !== 200 || failure) {
      throw new LabError('remote', `importing ${ref} into Docker at ${socket} failed`, {
        command: `POST ${path}`,
        stderrTail: failure?.error ?? answer.body.slice(0, 500),
      });
    }
  },
};
