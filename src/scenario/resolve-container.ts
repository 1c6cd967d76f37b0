/** Containers: host, image (default `${image}`), networks with static addresses resolved. */
import type { ContainerNetworkSpec, ContainerSpec, NetworkSpec } from './model.js';
import { DEFAULT_BRIDGE } from '../docker/bridge.js';
import { parseSubnet } from '../common/subnet.js';
import * as f from './formats.js';
import { fail, type ResolveContext } from './resolve-context.js';
import { containerHost } from './resolve-hosts.js';
import { toAddress } from './resolve-network.js';
import { checkString, type SourceContainer } from './schema.js';
import { didYouMean, listOrNone } from './suggest.js';

function image(ctx: ResolveContext, c: SourceContainer, index: number): string {
  if (c.image !== undefined) return c.image;
  const path = ['containers', index];
  const fallback = ctx.vars.get('image');
  if (fallback === undefined) {
    throw fail(
      ctx,
      path,
      'no image: give the container an image, or define the variable image (the default for every container)',
    );
  }
  const problem = checkString(fallback, f.imageRef, 'final');
  if (problem) throw fail(ctx, path, `the default image (variable image): ${problem}`);
  return fallback;
}

export function resolveContainer(
  ctx: ResolveContext,
  c: SourceContainer,
  index: number,
  hosts: string[],
  networks: NetworkSpec[],
): ContainerSpec {
  const path = ['containers', index];
  // In the order a person reads a container: host, image, networks.
  const host = containerHost(ctx, c.host, [...path, 'host'], hosts);
  const img = image(ctx, c, index);
  const names = networks.map((n) => n.name);
  const attachments = c.networks.map((a, j): ContainerNetworkSpec => {
    const at = [...path, 'networks', j];
    const { network, ip } = typeof a === 'string' ? { network: a, ip: undefined } : a;
    const net = networks.find((n) => n.name === network);
    const where = typeof a === 'string' ? at : [...at, 'network'];
    if (!net && network === DEFAULT_BRIDGE) {
      // Docker's own network: attached to, never created, and Docker refuses --ip on it.
      if (ip === undefined) return { network };
      throw fail(
        ctx,
        [...at, 'ip'],
        `Docker refuses a static ip on its default bridge ("user specified IP address is supported on user defined networks only")`,
        'drop ip:, use a user-defined network, or show the refusal with an assertion: fails: { run: … }',
      );
    }
    if (!net) {
      throw fail(
        ctx,
        where,
        `unknown network "${network}"${didYouMean(network, names)}`,
        `networks of this scenario: ${listOrNone(names)} (and ${DEFAULT_BRIDGE}, Docker's default bridge)`,
      );
    }
    if (ip === undefined) return { network };
    if (net.subnet === undefined) {
      const hint = `give network ${network} a subnet; Docker refuses --ip on a network whose subnet it chose itself`;
      throw fail(
        ctx,
        [...at, 'ip'],
        `a static ip needs a subnet, and network ${network} has none`,
        hint,
      );
    }
    return { network, ipv4: toAddress(ctx, ip, parseSubnet(net.subnet), [...at, 'ip']) };
  });
  const spec: ContainerSpec = {
    name: c.name,
    host,
    image: img,
    networks: attachments,
  };
  if (c.command !== undefined) spec.command = [...c.command];
  if (c.publish !== undefined) spec.publish = [...c.publish];
  return spec;
}
