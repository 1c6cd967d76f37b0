/**
 * `iptables -t TABLE -S [CHAIN]` output → rules, and whether one matches what a scenario claims.
 * -S prints each rule as the command that would add it (`-A POSTROUTING -s 172.20.0.0/24 ! -o br-x
 * -j MASQUERADE`), the same on every iptables since 1.4, legacy and nft backends alike: far easier
 * to match exactly than the column layout of -nL, which is kept for people (transcripts).
 */
export interface IptablesRule {
  chain: string;
  /** Options as given (`-s` → "172.20.0.0/24"); negated ones are kept apart. */
  options: Map<string, string>;
  negated: Map<string, string>;
  target?: string;
  /** The line as iptables printed it. */
  text: string;
}

/** Splits on spaces, keeping "quoted comments" whole. */
function words(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

export function parseIptablesRules(output: string): IptablesRule[] {
  const rules: IptablesRule[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('-A ')) continue;
    const w = words(line);
    const rule: IptablesRule = {
      chain: w[1] ?? '',
      options: new Map(),
      negated: new Map(),
      text: line,
    };
    for (let i = 2; i < w.length; i++) {
      let word = w[i] ?? '';
      let negate = false;
      if (word === '!') {
        negate = true;
        word = w[++i] ?? '';
      }
      if (!word.startsWith('-')) continue;
      const next = w[i + 1];
      const value = next !== undefined && !next.startsWith('-') && next !== '!' ? next : '';
      if (value !== '') i++;
      if (word === '-j' || word === '--jump') rule.target = value;
      else (negate ? rule.negated : rule.options).set(word, value);
    }
    rules.push(rule);
  }
  return rules;
}

/** What a rule must have, with every run-time reference already turned into a value. */
export interface RuleClaim {
  target: string;
  source?: string;
  destination?: string;
  protocol?: string;
  dport?: number;
  /** DNAT destination, "172.17.0.2:80". */
  toDestination?: string;
}

/** iptables shows a single address as a /32. */
function asCidr(v: string): string {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(v) ? `${v}/32` : v;
}

export function ruleMatches(rule: IptablesRule, claim: RuleClaim): boolean {
  const o = rule.options;
  if (rule.target !== claim.target) return false;
  if (claim.source !== undefined && o.get('-s') !== asCidr(claim.source)) return false;
  if (claim.destination !== undefined && o.get('-d') !== asCidr(claim.destination)) return false;
  if (claim.protocol !== undefined && o.get('-p') !== claim.protocol) return false;
  if (claim.dport !== undefined && o.get('--dport') !== String(claim.dport)) return false;
  if (claim.toDestination !== undefined && o.get('--to-destination') !== claim.toDestination)
    return false;
  return true;
}

/** The claim in iptables' own words: "-s 172.20.0.0/24 -p tcp --dport 80 -j DNAT …". */
export function describeClaim(claim: RuleClaim): string {
  const parts: string[] = [];
  if (claim.source !== undefined) parts.push(`-s ${asCidr(claim.source)}`);
  if (claim.destination !== undefined) parts.push(`-d ${asCidr(claim.destination)}`);
  if (claim.protocol !== undefined) parts.push(`-p ${claim.protocol}`);
  if (claim.dport !== undefined) parts.push(`--dport ${claim.dport}`);
  parts.push(`-j ${claim.target}`);
  if (claim.toDestination !== undefined) parts.push(`--to-destination ${claim.toDestination}`);
  return parts.join(' ');
}

/** Targets that end a rule's traversal; anything else after -j is a user chain jumped to. */
const BUILT_IN_TARGETS = new Set([
  'ACCEPT',
  'DROP',
  'REJECT',
  'RETURN',
  'MASQUERADE',
  'SNAT',
  'DNAT',
  'REDIRECT',
  'MARK',
  'LOG',
  'CONNMARK',
  'TCPMSS',
]);

const MAX_JUMPS = 4;

/**
 * The rules of `chain` as a packet meets them, with each jump to a user chain replaced by that chain's
 * rules, the jump's own matches added (POSTROUTING `-s 10.88.0.0/16 -j NETAVARK-X` and NETAVARK-X
 * `! -d 224.0.0.0/4 -j MASQUERADE` read as one MASQUERADE rule for 10.88.0.0/16). Podman's netavark
 * keeps its NAT one or two jumps down; Docker keeps it in the chain itself.
 */
export function rulesThroughJumps(
  rules: readonly IptablesRule[],
  chain: string,
  depth = 0,
): IptablesRule[] {
  const out: IptablesRule[] = [];
  for (const rule of rules.filter((r) => r.chain === chain)) {
    const target = rule.target;
    const jumps =
      target !== undefined &&
      !BUILT_IN_TARGETS.has(target) &&
      depth < MAX_JUMPS &&
      rules.some((r) => r.chain === target);
    if (!jumps) {
      out.push(rule);
      continue;
    }
    for (const inner of rulesThroughJumps(rules, target, depth + 1)) {
      out.push({
        chain,
        options: new Map([...rule.options, ...inner.options]),
        negated: new Map([...rule.negated, ...inner.negated]),
        ...(inner.target !== undefined && { target: inner.target }),
        text: `${rule.text} → ${inner.text}`,
      });
    }
  }
  return out;
}
