import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import type { DockerClient } from './docker-client.js';
import { apiRequests, countingClient, totalCalls, type CallCounts } from './counting-client.js';

describe('countingClient', () => {
  it('counts operations by name, the inspections of a listing, and the HTTP requests behind them', async () => {
    const host = new FakeHost('server1');
    await host.docker.createContainer({ name: 'a', image: 'i', labels: {} });
    await host.docker.createContainer({ name: 'b', image: 'i', labels: {} });
    const counts: CallCounts = {};
    const docker = countingClient(host.docker, counts);
    expect(await docker.listContainers()).toHaveLength(2);
    await docker.imageExists('i');
    await docker.run({ name: 'p', image: 'i', labels: {}, command: ['true'], autoRemove: true });
    expect(counts).toEqual({ listContainers: 1, inspectContainer: 2, imageExists: 1, run: 1 });
    expect(totalCalls(counts)).toBe(5);
    expect(apiRequests(counts)).toBe(1 + 2 + 1 + 4);
  });

  it('calls every method on the real client, close included (private fields stay reachable)', async () => {
    class Real {
      readonly #closed: string[] = [];
      async close() {
        this.#closed.push('closed');
      }
      async info() {
        return { id: String(this.#closed.length), name: '', swarm: 'inactive' };
      }
      get log() {
        return this.#closed;
      }
    }
    const real = new Real();
    const counts: CallCounts = {};
    const docker = countingClient(real as unknown as DockerClient, counts);
    await docker.close();
    expect((await docker.info()).id).toBe('1');
    expect(real.log).toEqual(['closed']);
    expect(counts).toEqual({ info: 1 });
  });
});
