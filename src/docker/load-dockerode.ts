import { createRequire, Module } from 'node:module';
import path from 'node:path';
import type Docker from 'dockerode';

/**
 * dockerode without the BuildKit session module it requires at load time. That module pulls in gRPC
 * and protobufjs, ~55 ms of CPU on every start — more than the rest of dockerode — and lab's SSH
 * handshakes wait behind it. It serves only `buildImage` with BuildKit sessions, which lab never
 * calls; the stand-in throws should anything ever reach it. If dockerode's layout changes, dockerode
 * is loaded as it is.
 */
export function loadDockerode(require = createRequire(import.meta.url)): typeof Docker {
  let sessionModule: string | undefined;
  try {
    sessionModule = path.join(path.dirname(require.resolve('dockerode')), 'session.js');
  } catch {
    sessionModule = undefined;
  }
  if (sessionModule && !require.cache[sessionModule]) {
    const standIn = new Module(sessionModule);
    standIn.filename = sessionModule;
    standIn.loaded = true;
    standIn.exports = function withSession(): never {
      throw new Error('lab does not use BuildKit sessions (dockerode buildImage with version 2)');
    };
    require.cache[sessionModule] = standIn;
  }
  return require('dockerode') as typeof Docker;
}
