/**
 * Checks across the parts of a resolved scenario: everything Docker or the kernel would refuse, or
 * that would make a probe meaningless, is found here, with the file position of the offending value,
 * before anything touches a host. The scenario's arrays are index-aligned with the YAML's, which is
 * how a finding maps back to its node.
 */
import type { Scenario } from './model.js';
import { contains, overlaps, parseSubnet, reservedRole } from '../common/subnet.js';
import { formatPath, type YamlPath } from './positions.js';
import { fail, type ResolveContext } from './resolve-context.js';
import { listOrNone } from './suggest.js';

/** Docker's predefined networks: a user network with one of these names cannot be created. */
const PREDEFINED = ['bridge', 'host', 'none'];

const lineOf = (ctx: ResolveContext, path: YamlPath) =>
  `${formatPath(path)}, line ${ctx.doc.locator.locate(path).line}`;

/** Unique names first: everything after looks networks and containers up by name. */
export function checkNames(ctx: ResolveContext): void {
  const unique = (items: { name: string }[], list: string, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const path = [list, i, 'name'];
      const prev = seen.get(item.name);
      if (prev !== undefined) {
        throw fail(
          ctx,
          path,
          `${what} "${item.name}" is already defined (${lineOf(ctx, [list, prev])})`,
        );
      }
      seen.set(item.name, i);
    });
  };
  const networks = ctx.source.networks ?? [];
  unique(networks, 'networks', 'network');
  unique(ctx.source.containers ?? [], 'containers', 'container');
  networks.forEach((n, i) => {
    if (PREDEFINED.includes(n.name)) {
      const text = `"${n.name}" is one of Docker's predefined networks (${PREDEFINED.join(', ')})`;
      throw fail(ctx, ['networks', i, 'name'], text, 'choose another name, e.g. my_net1');
    }
  });
}

export function checkNics(ctx: ResolveContext, s: Scenario): void {
  const seen = new Map<string, number>();
  s.nics.forEach((nic, i) => {
    const path = ['nics', i];
    for (const host of nic.hosts) {
      const key = `${host}/${nic.interface}`;
      const prev = seen.get(key);
      if (prev !== undefined) {
        const text = `interface ${nic.interface} on ${host} is already prepared (${lineOf(ctx, ['nics', prev])})`;
        throw fail(ctx, [...path, 'interface'], text, 'merge the two entries into one');
      }
      seen.set(key, i);
    }
    if (!nic.vlan) return;
    const { parent, id } = nic.vlan;
    if (parent === nic.interface) {
      throw fail(
        ctx,
        [...path, 'vlan', 'parent'],
        `a VLAN interface cannot be its own parent (${parent})`,
      );
    }
    // "eth0.1" is read by people (and by Docker's macvlan driver) as VLAN 1 on eth0: the name must not lie.
    const m = /^(.+)\.([0-9]+)$/.exec(nic.interface);
    if (m && (m[1] !== parent || Number(m[2]) !== id)) {
      const text = `the name ${nic.interface} reads as VLAN ${m[2]} on ${m[1]}, but vlan says parent ${parent}, id ${id}`;
      const hint = `name it ${parent}.${id}, or use a name without a ".number" ending`;
      throw fail(ctx, [...path, 'interface'], text, hint);
    }
  });
}

export function checkNetworks(ctx: ResolveContext, s: Scenario): void {
  s.networks.forEach((n, i) => {
    const path = ['networks', i];
    if (n.driver === 'macvlan' && n.parent === undefined) {
      const hint = 'add parent: with the host interface it sits on, e.g. parent: eth0';
      throw fail(ctx, [...path, 'driver'], 'a macvlan network needs a parent interface', hint);
    }
    if (n.driver !== 'macvlan' && n.parent !== undefined) {
      throw fail(
        ctx,
        [...path, 'parent'],
        `parent applies to macvlan networks only; this one is ${n.driver}`,
      );
    }
    if (n.driver === 'overlay' && s.swarm === undefined) {
      const hint =
        'add swarm: {} (lab creates a swarm across the hosts if there is none), or use bridge or macvlan';
      throw fail(ctx, [...path, 'driver'], 'an overlay network needs a Docker swarm', hint);
    }
    if (n.driver === 'overlay' && n.attachable !== true) {
      const user = s.containers.find((c) => c.networks.some((a) => a.network === n.name));
      if (user) {
        const text = `container ${user.name} joins ${n.name}, but standalone containers may join an overlay network only when it is attachable`;
        throw fail(ctx, path, text, 'add attachable: true to the network');
      }
    }
    if ('parent' in n.options) {
      const text = 'write the macvlan parent as parent: on the network, not as a driver option';
      throw fail(ctx, [...path, 'options', 'parent'], text);
    }
    if (n.subnet !== undefined && n.gateway !== undefined) {
      const subnet = parseSubnet(n.subnet);
      const at = [...path, 'gateway'];
      if (!contains(subnet, n.gateway)) {
        throw fail(ctx, at, `gateway ${n.gateway} is outside the network's subnet ${n.subnet}`);
      }
      const role = reservedRole(subnet, n.gateway);
      if (role) throw fail(ctx, at, `gateway ${n.gateway} is the ${role} address of ${n.subnet}`);
    }
  });
  // Pairwise: what Docker refuses when two networks meet on one host.
  s.networks.forEach((b, j) => {
    s.networks.slice(0, j).forEach((a, i) => {
      const host = a.hosts.find((h) => b.hosts.includes(h));
      if (host === undefined) return;
      if (a.subnet && b.subnet && overlaps(parseSubnet(a.subnet), parseSubnet(b.subnet))) {
        const text = `subnet ${b.subnet} overlaps ${a.subnet} of network ${a.name} (${lineOf(ctx, ['networks', i])}) on ${host}`;
        const hint =
          'Docker refuses overlapping subnets on one host ("Pool overlaps with other one on this address space")';
        throw fail(ctx, ['networks', j, 'subnet'], text, hint);
      }
      if (a.driver === 'macvlan' && b.driver === 'macvlan' && a.parent === b.parent) {
        const text = `networks ${a.name} and ${b.name} both use parent ${b.parent} on ${host}, and Docker allows one macvlan network per parent interface (the seed, section 10)`;
        const hint =
          'put the second network on another interface (eth1) or on a VLAN sub-interface (eth0.1)';
        throw fail(ctx, ['networks', j, 'parent'], text, hint);
      }
    });
  });
}

export function checkContainers(ctx: ResolveContext, s: Scenario): void {
  const hostAddresses = new Map(ctx.inventory.hosts.map((h) => [h.address, h.name]));
  // Where each static address is taken: macvlan and overlay networks span hosts (one segment), a
  // bridge network is separate on every host.
  const taken = new Map<string, { container: string; index: number }>();
  s.containers.forEach((c, i) => {
    const seen = new Map<string, number>();
    c.networks.forEach((a, j) => {
      const at: YamlPath = ['containers', i, 'networks', j];
      const net = s.networks.find((n) => n.name === a.network);
      if (!net) return; // resolve refused unknown networks already
      if (!net.hosts.includes(c.host)) {
        const text = `network ${net.name} is not created on ${c.host} (it is on: ${listOrNone(net.hosts)})`;
        throw fail(
          ctx,
          at,
          text,
          `add ${c.host} to the network's hosts, or run the container elsewhere`,
        );
      }
      const prev = seen.get(a.network);
      if (prev !== undefined)
        throw fail(ctx, at, `the container is already on ${a.network} (networks[${prev}])`);
      seen.set(a.network, j);
      if (a.ipv4 === undefined || net.subnet === undefined) return;
      const ipAt = [...at, 'ip'];
      const subnet = parseSubnet(net.subnet);
      const ip = a.ipv4;
      if (!contains(subnet, ip))
        throw fail(ctx, ipAt, `ip ${ip} is outside ${net.name}'s subnet ${net.subnet}`);
      const role = reservedRole(subnet, ip);
      if (role)
        throw fail(
          ctx,
          ipAt,
          `ip ${ip} is the ${role} address of ${net.subnet}, not a host address`,
        );
      if (ip === net.gateway)
        throw fail(ctx, ipAt, `ip ${ip} is the gateway address of ${net.name}`);
      const hostName = hostAddresses.get(ip);
      if (hostName !== undefined)
        throw fail(ctx, ipAt, `ip ${ip} is the address of host ${hostName}`);
      const spans = net.driver !== 'bridge';
      const key = spans ? `${net.name} ${ip}` : `${net.name} ${c.host} ${ip}`;
      const owner = taken.get(key);
      if (owner) {
        const where = spans
          ? `(${net.driver} spans hosts: one address space on all of them)`
          : `on ${c.host}`;
        const text = `ip ${ip} on ${net.name} is already taken by ${owner.container} ${where}`;
        throw fail(ctx, ipAt, text, `see ${lineOf(ctx, ['containers', owner.index])}`);
      }
      taken.set(key, { container: c.name, index: i });
    });
  });
}

export function checkExpectations(ctx: ResolveContext, s: Scenario): void {
  s.expectations.forEach((e, i) => {
    if (e.to.kind !== 'container' || e.to.container !== e.from) return;
    const key = e.reach ? 'reach' : 'not_reach';
    const text = e.reach
      ? `${e.from} reaching itself proves nothing: a container always reaches its own address`
      : `${e.from} cannot fail to reach itself`;
    throw fail(
      ctx,
      ['expect', i, key],
      text,
      'aim at another container, a gateway, a host or an address',
    );
  });
}

/** All cross-part checks, in the order a person reads the file. */
export function checkScenario(ctx: ResolveContext, s: Scenario): void {
  checkNics(ctx, s);
  checkNetworks(ctx, s);
  checkContainers(ctx, s);
  checkExpectations(ctx, s);
}
