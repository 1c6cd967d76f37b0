import { describe, expect, it } from 'vitest';
import type { ContainerInfo, NetworkInfo } from '../docker/docker-client.js';
import { toTopoHost } from './discover.js';

const network = (name: string, extra: Partial<NetworkInfo> = {}): NetworkInfo => ({
  id: `id-${name}`,
  name,
  driver: 'macvlan',
  labels: {},
  options: { parent: 'eth0' },
  subnet: '198.19.1.0/24',
  gateway: '198.19.1.1',
  containers: [],
  ...extra,
});
const c = (name: string, extra: Partial<ContainerInfo> = {}): ContainerInfo => ({
  id: `id-${name}`,
  name,
  image: 'img',
  labels: { 'lab.managed': 'true', 'lab.scenario': 's' },
  running: true,
  pid: 10,
  networks: { mac_net1: { ipv4: '198.19.1.10', prefixLength: 24, mac: '02:42:c6:13:01:0a' } },
  ...extra,
});

describe('toTopoHost', () => {
  it('keeps every address with its MAC, leaves probers out, marks stopped containers', () => {
    const h = toTopoHost(
      { name: 'server1', address: '198.18.0.1' },
      [
        c('vm4'),
        c('prober', { labels: { 'lab.managed': 'true', 'lab.kind': 'probe' } }),
        c('off', { running: false, networks: { mac_net1: {} } }),
      ],
      [
        network('mac_net1'),
        network('br', {
          driver: 'bridge',
          options: { 'com.docker.network.bridge.enable_icc': 'false' },
          internal: true,
        }),
      ],
    );
    expect(h.containers.map((x) => x.name)).toEqual(['vm4', 'off']);
    expect(h.containers[0]).toMatchObject({
      scenario: 's',
      observed: true,
      endpoints: [
        { network: 'mac_net1', ipv4: '198.19.1.10', prefixLength: 24, mac: '02:42:c6:13:01:0a' },
      ],
    });
    expect(h.containers[1]).toMatchObject({
      endpoints: [],
      unavailable: 'off is not running on server1',
    });
    expect(h.networks).toEqual([
      {
        host: 'server1',
        id: 'id-mac_net1',
        name: 'mac_net1',
        driver: 'macvlan',
        subnet: '198.19.1.0/24',
        gateway: '198.19.1.1',
        parent: 'eth0',
        internal: false,
        icc: true,
      },
      {
        host: 'server1',
        id: 'id-br',
        name: 'br',
        driver: 'bridge',
        subnet: '198.19.1.0/24',
        gateway: '198.19.1.1',
        internal: true,
        icc: false,
      },
    ]);
  });
});
