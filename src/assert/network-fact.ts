/** `network:` — a network's settings as the host's Docker reports them (`docker network inspect`). */
import { errorText } from '../common/errors.js';
import type { NetworkInfo } from '../docker/docker-client.js';
import { hostAddress, parseSubnet } from '../common/subnet.js';
import type { NetworkFacts } from '../scenario/model-assert.js';
import { judged, type AssertContext } from './context.js';
import { networkOn } from './lookup.js';
import type { AssertionResult, PlannedAssertion } from '../plan/assertion-model.js';

type NetworkAssertion = Extract<PlannedAssertion, { kind: 'network' }>;

/** What Docker reports, in words: "driver bridge, subnet 198.19.20.0/24, gateway 198.19.20.1, scope local". */
export function describeNetwork(n: NetworkInfo): string {
  const parts = [`driver ${n.driver}`];
  parts.push(n.subnet ? `subnet ${n.subnet}` : 'no IPv4 subnet');
  if (n.gateway) parts.push(`gateway ${n.gateway}`);
  if (n.options['parent']) parts.push(`parent ${n.options['parent']}`);
  parts.push(`scope ${n.swarmScoped ? 'swarm' : 'local'}`);
  if (n.attachable) parts.push('attachable');
  return parts.join(', ');
}

/** Each fact that does not hold, in words; empty when all hold. */
export function networkMismatches(n: NetworkInfo, has: NetworkFacts): string[] {
  const bad: string[] = [];
  if (has.driver !== undefined && n.driver !== has.driver)
    bad.push(`driver is ${n.driver}, not ${has.driver}`);
  if (has.subnet !== undefined && n.subnet !== has.subnet)
    bad.push(`subnet is ${n.subnet ?? 'none'}, not ${has.subnet}`);
  if (has.gateway !== undefined) {
    const want =
      'ipv4' in has.gateway
        ? has.gateway.ipv4
        : n.subnet
          ? hostAddress(parseSubnet(n.subnet), has.gateway.hostNumber)
          : undefined;
    const label =
      'ipv4' in has.gateway
        ? has.gateway.ipv4
        : `host ${has.gateway.hostNumber} of its subnet${want ? ` (${want})` : ''}`;
    if (want === undefined || n.gateway !== want)
      bad.push(`gateway is ${n.gateway ?? 'none'}, not ${label}`);
  }
  if (has.parent !== undefined && n.options['parent'] !== has.parent)
    bad.push(`parent is ${n.options['parent'] ?? 'none'}, not ${has.parent}`);
  if (has.scope !== undefined && (n.swarmScoped ? 'swarm' : 'local') !== has.scope)
    bad.push(`scope is ${n.swarmScoped ? 'swarm' : 'local'}, not ${has.scope}`);
  if (has.attachable !== undefined && (n.attachable === true) !== has.attachable)
    bad.push(has.attachable ? 'it is not attachable' : 'it is attachable');
  return bad;
}

export function describeFacts(has: NetworkFacts): string {
  const parts: string[] = [];
  if (has.driver) parts.push(`driver ${has.driver}`);
  if (has.subnet) parts.push(`subnet ${has.subnet}`);
  if (has.gateway)
    parts.push(
      'ipv4' in has.gateway
        ? `gateway ${has.gateway.ipv4}`
        : `gateway = host ${has.gateway.hostNumber} of its subnet`,
    );
  if (has.parent) parts.push(`parent ${has.parent}`);
  if (has.scope) parts.push(`scope ${has.scope}`);
  if (has.attachable !== undefined) parts.push(has.attachable ? 'attachable' : 'not attachable');
  return parts.join(', ');
}

export async function checkNetwork(
  a: NetworkAssertion,
  ctx: AssertContext,
): Promise<AssertionResult> {
  const started = ctx.now();
  const command = `docker network inspect ${a.network}`;
  const claim = `network ${a.network} on ${a.host} has ${describeFacts(a.has)}`;
  try {
    const n = await networkOn(ctx.session(a.host), a.network);
    const bad = networkMismatches(n, a.has);
    const seen = `Docker reports ${describeNetwork(n)}`;
    return judged(ctx, a, started, bad.length === 0 ? 'pass' : 'fail', {
      claim,
      evidence: bad.length === 0 ? seen : `${bad.join('; ')} (${seen})`,
      command,
      output: JSON.stringify(
        {
          Name: n.name,
          Id: n.id,
          Driver: n.driver,
          Subnet: n.subnet,
          Gateway: n.gateway,
          Scope: n.swarmScoped ? 'swarm' : 'local',
          Attachable: n.attachable === true,
          Options: n.options,
        },
        null,
        2,
      ),
    });
  } catch (err) {
    return judged(ctx, a, started, 'error', { claim, evidence: errorText(err), command });
  }
}
