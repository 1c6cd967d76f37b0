import { FIREWALL_COMMENT } from './names.js';
import { runChecked, type Runner } from '../system/runner.js';

/**
 * This kernel hands bridged IPv4 frames to the machine's iptables (br_netfilter,
 * net.bridge.bridge-nf-call-iptables = 1), so traffic between two hosts on our switch passes the
 * machine's FORWARD chain. A Docker engine in the machine's own namespace sets that chain's policy to
 * DROP, which would silently cut the box's LAN. One ACCEPT rule per switch, first in FORWARD and
 * marked with our comment, keeps the box working whatever the machine's firewall says; only frames
 * that enter and leave the same switch match, so nothing else is let through.
 */

/** A rule as [chain, ...match and target]. */
export type FirewallRule = string[];

export function switchRules(bridges: readonly string[]): FirewallRule[] {
  return bridges.map((bridge) => [
    'FORWARD',
    '-i',
    bridge,
    '-o',
    bridge,
    '-m',
    'comment',
    '--comment',
    FIREWALL_COMMENT,
    '-j',
    'ACCEPT',
  ]);
}

/** Our rules in `iptables -S` output, as rules to delete (chain first). */
export function ourRules(iptablesS: string): FirewallRule[] {
  return iptablesS
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(
      (words) => words[0] === '-A' && words.join(' ').includes(`--comment ${FIREWALL_COMMENT}`),
    )
    .map((words) => words.slice(1));
}

export function addRules(
  runner: Runner,
  iptables: string,
  rules: readonly FirewallRule[],
): Promise<void> {
  return eachRule(runner, rules, (chain, spec) => ({
    argv: [iptables, '-w', '-I', chain, '1', ...spec],
    what: `adding firewall rule to ${chain}`,
  }));
}

export async function listOurRules(runner: Runner, iptables: string): Promise<FirewallRule[]> {
  const result = await runner.run([iptables, '-w', '-S']);
  return result.exitCode === 0 ? ourRules(result.stdout) : [];
}

export function deleteRules(
  runner: Runner,
  iptables: string,
  rules: readonly FirewallRule[],
): Promise<void> {
  return eachRule(runner, rules, (chain, spec) => ({
    argv: [iptables, '-w', '-D', chain, ...spec],
    what: `deleting firewall rule from ${chain}`,
  }));
}

/** Runs one checked iptables command per rule, in order. */
async function eachRule(
  runner: Runner,
  rules: readonly FirewallRule[],
  command: (chain: string, spec: string[]) => { argv: string[]; what: string },
): Promise<void> {
  for (const [chain, ...spec] of rules) {
    const { argv, what } = command(chain!, spec);
    await runChecked(runner, argv, what);
  }
}
