import { describe, expect, it } from 'vitest';
import { parseRoutes, routeClashes } from './routes.js';

// A box host with a bridge network of another scenario and one of our own from an earlier run.
const ROUTES = `default via 198.18.0.254 dev eth0
198.18.0.0/24 dev eth0 proto kernel scope link src 198.18.0.1
198.19.128.0/24 dev docker0 proto kernel scope link src 198.19.128.1
198.19.20.0/24 dev br-018e58ea65e3 proto kernel scope link src 198.19.20.1
198.19.21.0/24 dev br-aaaaaaaaaaaa proto kernel scope link src 198.19.21.1
10.1.2.3 via 198.18.0.254 dev eth0
blackhole 10.9.0.0/16`;

describe('host routes', () => {
  const routes = parseRoutes(ROUTES);

  it('are read without the default route; host routes are /32, typed routes keep their subnet', () => {
    expect(routes.map((r) => `${r.destination} ${r.device ?? '-'}`)).toEqual([
      '198.18.0.0/24 eth0',
      '198.19.128.0/24 docker0',
      '198.19.20.0/24 br-018e58ea65e3',
      '198.19.21.0/24 br-aaaaaaaaaaaa',
      '10.1.2.3/32 eth0',
      '10.9.0.0/16 -',
    ]);
  });

  const owners = new Map([
    ['docker0', "Docker's default bridge"],
    ['br-018e58ea65e3', 'Docker network my_net2 of lab scenario bridge-custom'],
  ]);

  it('a subnet on the host LAN or on another Docker network clashes, said with whose route it is', () => {
    const problems = routeClashes(
      [
        { network: 'my_net2', driver: 'bridge', subnet: '198.19.20.0/24' },
        { network: 'lan', driver: 'bridge', subnet: '198.18.0.0/16' },
      ],
      routes,
      new Set(),
      owners,
    );
    expect(problems).toEqual([
      "network my_net2's subnet 198.19.20.0/24 overlaps the host's route 198.19.20.0/24 dev br-018e58ea65e3 proto kernel scope link src 198.19.20.1 (Docker network my_net2 of lab scenario bridge-custom); traffic for those addresses would go the wrong way",
      "network lan's subnet 198.18.0.0/16 overlaps the host's route 198.18.0.0/24 dev eth0 proto kernel scope link src 198.18.0.1; traffic for those addresses would go the wrong way",
    ]);
  });

  it('no clash: our own network of an earlier run, a macvlan network on its parent’s LAN, a free subnet', () => {
    expect(
      routeClashes(
        [
          { network: 'my_net2', driver: 'bridge', subnet: '198.19.20.0/24' },
          { network: 'mac_lan', driver: 'macvlan', subnet: '198.18.0.0/24', parent: 'eth0' },
          { network: 'mac_net1', driver: 'macvlan', subnet: '198.19.1.0/24', parent: 'eth0' },
        ],
        routes,
        new Set(['br-018e58ea65e3']),
        owners,
      ),
    ).toEqual([]);
  });

  it('a macvlan network on another NIC than the route’s still clashes', () => {
    expect(
      routeClashes(
        [{ network: 'm', driver: 'macvlan', subnet: '198.18.0.0/24', parent: 'eth1' }],
        routes,
        new Set(),
        owners,
      ),
    ).toHaveLength(1);
  });
});
