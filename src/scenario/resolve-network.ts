/** Networks, their gateways, and container addresses written as host numbers. */
import type { NetworkSpec } from './model.js';
import {
  hostAddress,
  hostNumberRange,
  normalize,
  parseSubnet,
  type Subnet,
} from '../common/subnet.js';
import { HOST_NUMBER } from './formats.js';
import type { YamlPath } from './positions.js';
import { fail, type ResolveContext } from './resolve-context.js';
import { resolveSelectors } from './resolve-hosts.js';
import type { SourceNetwork } from './schema.js';

/**
 * An address written as an address, or as a host number within the subnet (10 → 172.183.1.10), so
 * that changing a subnet variable moves every address that depends on it.
 */
export function toAddress(
  ctx: ResolveContext,
  value: number | string,
  subnet: Subnet,
  path: YamlPath,
): string {
  const n = typeof value === 'number' ? value : HOST_NUMBER.test(value) ? Number(value) : undefined;
  if (n === undefined) return normalize(String(value));
  const address = hostAddress(subnet, n);
  if (address !== undefined) return address;
  const { min, max } = hostNumberRange(subnet);
  const text = `host number ${n} is outside ${subnet.cidr} (usable host numbers: ${min} to ${max})`;
  throw fail(ctx, path, text);
}

export function resolveNetwork(
  ctx: ResolveContext,
  net: SourceNetwork,
  index: number,
  hosts: string[],
  /** Where it was written; a network inside an assertion lives elsewhere than networks[i]. */
  path: YamlPath = ['networks', index],
): NetworkSpec {
  const spec: NetworkSpec = {
    name: net.name,
    driver: net.driver,
    hosts:
      net.hosts === undefined ? hosts : resolveSelectors(ctx, net.hosts, [...path, 'hosts'], hosts),
    options: { ...net.options },
  };
  if (net.subnet !== undefined) spec.subnet = net.subnet;
  if (net.parent !== undefined) spec.parent = net.parent;
  if (net.attachable !== undefined) spec.attachable = net.attachable;
  if (net.internal !== undefined) spec.internal = net.internal;
  if (net.gateway !== undefined) {
    if (net.subnet === undefined) {
      throw fail(
        ctx,
        [...path, 'gateway'],
        'a gateway needs a subnet on the same network',
        'Docker accepts --gateway only together with --subnet',
      );
    }
    spec.gateway = toAddress(ctx, net.gateway, parseSubnet(net.subnet), [...path, 'gateway']);
  }
  return spec;
}
