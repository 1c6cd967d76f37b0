/** `iptables:` a rule in a table (and chain) of the host's iptables. */
import type { SubnetRef } from '../../scenario/model-assert.js';
import { quoteCommand } from '../../ssh/quote.js';
import { checkIptables } from '../iptables-fact.js';
import { describeClaim } from '../iptables-rules.js';
import type { AssertionKindCheck } from './kind.js';

const subnet = (r: SubnetRef) => (r.kind === 'literal' ? r.cidr : `<subnet of ${r.network}>`);

export const iptables: AssertionKindCheck<'iptables'> = {
  command: (a) => quoteCommand(['iptables', '-t', a.table, '-S', ...(a.chain ? [a.chain] : [])]),
  claim(a) {
    const r = a.rule;
    const words = describeClaim({
      target: r.target,
      ...(r.source && { source: subnet(r.source) }),
      ...(r.destination && { destination: subnet(r.destination) }),
      ...(r.protocol && { protocol: r.protocol }),
      ...(r.dport !== undefined && { dport: r.dport }),
      ...(r.to && { toDestination: `<${r.to.container} on ${r.to.network}>:${r.to.port}` }),
    });
    return `a rule ${words}`;
  },
  check: checkIptables,
};
