import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { testInventory } from '../../test/fakes/plan-fixture.js';
import { parseScenario } from './load.js';
import { resolveScenario } from './resolve.js';

const scenario = (target: string) => `name: p
vars: { image: 'busybox:latest' }
networks:
  - { name: n, driver: bridge }
containers:
  - { name: web, host: server1, networks: [n], publish: ['8080:80'] }
  - { name: cli, host: server2, networks: [n] }
expect:
  - from: cli
    reach: ${target}
    reason: because
`;

const resolve = (target: string) =>
  resolveScenario(parseScenario(scenario(target), 'p.yaml'), testInventory(2), {});

describe('expectations with a port', () => {
  it('container, host and address targets take a port; TCP unless protocol: udp', () => {
    expect(resolve('{ container: web, port: 80 }').expectations[0]?.to).toEqual({
      kind: 'container',
      container: 'web',
      network: 'n',
      port: { port: 80, protocol: 'tcp' },
    });
    expect(resolve('{ host: server1, port: 8080 }').expectations[0]?.to).toEqual({
      kind: 'host',
      host: 'server1',
      port: { port: 8080, protocol: 'tcp' },
    });
    expect(resolve('{ address: 198.18.0.1, port: 53, protocol: udp }').expectations[0]?.to).toEqual(
      {
        kind: 'address',
        address: '198.18.0.1',
        port: { port: 53, protocol: 'udp' },
      },
    );
    expect(resolve('{ container: web }').expectations[0]?.to).not.toHaveProperty('port');
  });

  it('a port out of range, a protocol without a port, a port on a gateway: bad input with the line', () => {
    for (const bad of [
      '{ container: web, port: 70000 }',
      '{ container: web, protocol: udp }',
      '{ host: server1, port: 80, protocol: sctp }',
      '{ gateway: n, port: 80 }',
    ]) {
      let err: unknown;
      try {
        resolve(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(LabError);
      expect(
        String((err as LabError).message) + JSON.stringify((err as LabError).context),
        bad,
      ).toMatch(/p\.yaml|line/);
    }
  });
});
