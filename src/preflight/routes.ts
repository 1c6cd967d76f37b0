/**
 * Do the scenario's subnets clash with the host's own routes (`ip -o -4 route show`)? A bridge
 * network on the subnet of the host's LAN, or of another Docker network, sends the host's traffic
 * for those addresses into the wrong place; Docker itself only checks the subnets it picks.
 *
 * Not a clash: the route of a network this scenario made itself (a second run), and a macvlan
 * network on the subnet of its own parent's LAN (containers then sit on the LAN, a design of its own).
 */
import { overlaps, parseSubnet } from '../common/subnet.js';

export interface Route {
  /** CIDR; a host route gets /32. */
  destination: string;
  device?: string;
  text: string;
}

const TYPES = new Set([
  'unicast',
  'local',
  'broadcast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'multicast',
]);

export function parseRoutes(output: string): Route[] {
  const out: Route[] = [];
  for (const raw of output.split('\n')) {
    const text = raw.trim();
    if (text === '') continue;
    const words = text.split(/\s+/);
    let dest = words[0] ?? '';
    if (TYPES.has(dest)) dest = words[1] ?? '';
    if (dest === 'default' || !/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(dest)) continue;
    const dev = words.indexOf('dev');
    out.push({
      destination: dest.includes('/') ? dest : `${dest}/32`,
      ...(dev >= 0 && words[dev + 1] ? { device: words[dev + 1] } : {}),
      text,
    });
  }
  return out;
}

export interface PlannedSubnet {
  network: string;
  driver: string;
  subnet: string;
  parent?: string;
}

/**
 * One problem per clash, in words. `ours`: the devices of networks this scenario already made here;
 * `owners`: what each other device is ("Docker network my_net2 of scenario bridge-custom").
 */
export function routeClashes(
  subnets: readonly PlannedSubnet[],
  routes: readonly Route[],
  ours: ReadonlySet<string>,
  owners: ReadonlyMap<string, string>,
): string[] {
  const problems: string[] = [];
  for (const s of subnets) {
    const mine = parseSubnet(s.subnet);
    for (const r of routes) {
      if (r.device && ours.has(r.device)) continue;
      if (s.driver === 'macvlan' && r.device !== undefined && r.device === s.parent) continue;
      let theirs;
      try {
        theirs = parseSubnet(r.destination);
      } catch {
        continue;
      }
      if (!overlaps(mine, theirs)) continue;
      const owner = r.device ? owners.get(r.device) : undefined;
      problems.push(
        `network ${s.network}'s subnet ${s.subnet} overlaps the host's route ${r.text}${owner ? ` (${owner})` : ''}; traffic for those addresses would go the wrong way`,
      );
    }
  }
  return problems;
}
