/** `iptables:` — a rule in the host's netfilter tables (MASQUERADE per subnet, DNAT per port). */
import { errorText } from '../common/errors.js';
import { requireSuccess } from '../ssh/checked.js';
import type { RuleSpec, SubnetRef } from '../scenario/model-assert.js';
import type { HostSession } from '../host/session.js';
import { quoteCommand } from '../ssh/quote.js';
import { judged, type AssertContext } from './context.js';
import {
  describeClaim,
  parseIptablesRules,
  ruleMatches,
  rulesThroughJumps,
  type RuleClaim,
} from './iptables-rules.js';
import { containerAddress, networkOn, requireSubnet } from './lookup.js';
import type { AssertionResult, PlannedAssertion } from '../plan/assertion-model.js';

type IptablesAssertion = Extract<PlannedAssertion, { kind: 'iptables' }>;

async function subnet(session: HostSession, ref: SubnetRef): Promise<string> {
  if (ref.kind === 'literal') return ref.cidr;
  return requireSubnet(session, await networkOn(session, ref.network));
}

/** The claim with every network and container reference replaced by what the host reports. */
export async function resolveRule(session: HostSession, rule: RuleSpec): Promise<RuleClaim> {
  const claim: RuleClaim = { target: rule.target };
  if (rule.source) claim.source = await subnet(session, rule.source);
  if (rule.destination) claim.destination = await subnet(session, rule.destination);
  if (rule.protocol) claim.protocol = rule.protocol;
  if (rule.dport !== undefined) claim.dport = rule.dport;
  if (rule.to) {
    const address = await containerAddress(session, rule.to.container, rule.to.network);
    claim.toDestination = `${address}:${rule.to.port}`;
  }
  return claim;
}

export async function checkIptables(
  a: IptablesAssertion,
  ctx: AssertContext,
): Promise<AssertionResult> {
  const started = ctx.now();
  let argv = ['iptables', '-t', a.table, '-S', ...(a.chain ? [a.chain] : [])];
  let command = quoteCommand(argv);
  let where = `${a.table}${a.chain ? `/${a.chain}` : ''} on ${a.host}`;
  let claim = `a ${a.rule.target} rule in ${where}`;
  try {
    const session = ctx.session(a.host);
    // The engine may keep the rule elsewhere (Podman: NETAVARK chains, reached through jumps).
    const place = a.chain ? session.docker.engine.natChain(a.table, a.chain) : undefined;
    if (place?.followJumps) argv = ['iptables', '-t', a.table, '-S'];
    command = quoteCommand(argv);
    // The claim stays the seed's chain; where the engine keeps the rule is the difference, said apart.
    if (place && !place.note) where = `${a.table}/${place.chain} on ${a.host}`;
    const wanted = await resolveRule(session, a.rule);
    claim = `${where} has a rule ${describeClaim(wanted)}`;
    // Reading the tables needs root, as on any host.
    const r = await session.shell.exec(argv, { become: true, timeoutMs: ctx.options.timeoutMs });
    requireSuccess(a.host, command, r, `${command} failed on ${a.host}`);
    const all = parseIptablesRules(r.stdout);
    const rules = place?.followJumps ? rulesThroughJumps(all, place.chain) : all;
    const match = rules.find((x) => ruleMatches(x, wanted));
    const sameTarget = rules.filter((x) => x.target === wanted.target).map((x) => x.text);
    return judged(ctx, a, started, match ? 'pass' : 'fail', {
      claim,
      evidence: match
        ? `found: ${match.text}`
        : `no such rule${place?.note ? ` in ${place.chain} and the chains it jumps to` : ''}; ${wanted.target} rules there: ${sameTarget.length > 0 ? sameTarget.join(' | ') : 'none'}`,
      command,
      output: r.stdout.trim(),
      difference: place?.note,
    });
  } catch (err) {
    return judged(ctx, a, started, 'error', { claim, evidence: errorText(err), command });
  }
}
