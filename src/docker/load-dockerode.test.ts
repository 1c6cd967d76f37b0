import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

describe('loadDockerode', () => {
  it('loads dockerode without gRPC; the BuildKit session stand-in says why it fails', async () => {
    // A fresh node: this test process may have loaded dockerode, gRPC included, for other tests.
    const script = `
      import { createRequire } from 'node:module';
      import path from 'node:path';
      import { loadDockerode } from './src/docker/load-dockerode.ts';
      const require = createRequire(import.meta.url);
      const Docker = loadDockerode();
      const loaded = Object.keys(require.cache);
      const session = require.cache[path.join(path.dirname(require.resolve('dockerode')), 'session.js')];
      let standIn = 'not called';
      try { session.exports(); } catch (err) { standIn = err.message; }
      console.log(JSON.stringify({
        createContainer: typeof Docker.prototype.createContainer,
        grpcModules: loaded.filter((f) => f.includes('@grpc') || f.includes('protobufjs')).length,
        standIn,
      }));`;
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root },
    );
    expect(JSON.parse(stdout)).toEqual({
      createContainer: 'function',
      grpcModules: 0,
      standIn: expect.stringMatching(/does not use BuildKit sessions/),
    });
  });
});
