/** `network:` facts of a Docker network (driver, subnet, gateway, parent, scope, attachable). */
import { normalize } from '../../common/subnet.js';
import * as f from '../formats.js';
import { HOST_NUMBER } from '../formats.js';
import type { NetworkSpec } from '../network-spec.js';
import type { YamlPath } from '../positions.js';
import { defineKind, type ResolveTools, type SourceOf } from './kind.js';
import type { NetworkFacts } from './refs.js';

export const network = defineKind({
  kind: 'network',
  keys: ['network'],
  companions: ['host', 'has'],
  required: ['has'],
  has: {
    fields: ['driver', 'subnet', 'gateway', 'parent', 'scope', 'attachable'],
    of: 'a network',
  },
  shape: (h) => ({ network: h.str(f.dockerName).optional() }),
  resolve(a, t): { kind: 'network'; hosts: string[]; network: string; has: NetworkFacts } {
    const name = a.network ?? '';
    const net = t.network(name, [...t.path, 'network']);
    return {
      kind: 'network',
      hosts: t.hostsOr(net?.hosts ?? t.hosts),
      network: name,
      has: networkFacts(t, net, a.has ?? {}, [...t.path, 'has']),
    };
  },
  checkedOn: (a) => a.hosts,
  plan: (a, base): typeof base & { kind: 'network'; network: string; has: NetworkFacts } => ({
    ...base,
    kind: 'network',
    network: a.network,
    has: a.has,
  }),
});

function networkFacts(
  t: ResolveTools,
  net: NetworkSpec | undefined,
  has: NonNullable<SourceOf<object>['has']>,
  path: YamlPath,
): NetworkFacts {
  const facts: NetworkFacts = {};
  if (has.driver !== undefined) facts.driver = has.driver;
  if (has.subnet !== undefined) facts.subnet = has.subnet;
  if (has.parent !== undefined) facts.parent = has.parent;
  if (has.scope !== undefined) facts.scope = has.scope;
  if (has.attachable !== undefined) facts.attachable = has.attachable;
  if (has.gateway !== undefined) {
    // A host number counts in the subnet the assertion names, else in the network's own, else in
    // the one Docker reports at run time.
    const subnet = has.subnet ?? net?.subnet;
    const g = has.gateway;
    const n = typeof g === 'number' ? g : HOST_NUMBER.test(g) ? Number(g) : undefined;
    facts.gateway =
      n === undefined
        ? { ipv4: normalize(String(g)) }
        : subnet !== undefined
          ? { ipv4: t.toAddress(n, subnet, [...path, 'gateway']) }
          : { hostNumber: n };
  }
  return facts;
}
