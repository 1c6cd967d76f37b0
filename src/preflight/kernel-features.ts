/**
 * Does the host's kernel have what the scenario needs: macvlan (macvlan networks), 802.1Q (a VLAN
 * sub-interface lab must create) and VXLAN (overlay networks)?
 *
 * Decided by trying: in a throwaway network namespace (`unshare --net`), create a veth pair and on it
 * one link of each kind. The namespace, and everything in it, is gone when the command ends, so the
 * host is left exactly as it was, and a kernel that loads modules on demand loads them as Docker
 * would. /sys/module is no answer on its own: a driver built into the kernel without parameters is
 * not listed there (this very box has macvlan built in and no /sys/module/macvlan). It is only the
 * fallback when unshare cannot run, and then absence proves nothing: the answer is "unknown", a note
 * rather than a stop.
 */
import type { HostPlan } from '../plan/model.js';
import type { LinkState } from '../host/nic-state.js';
import { quoteWord } from '../ssh/quote.js';

export type Feature = 'macvlan' | '8021q' | 'vxlan';

export const FEATURE_WORDS: Record<Feature, string> = {
  macvlan: 'macvlan',
  '8021q': '802.1Q VLAN',
  vxlan: 'VXLAN',
};

/** Why the scenario needs the feature on this host, per feature. */
export function neededFeatures(
  plan: HostPlan,
  links: ReadonlyMap<string, LinkState>,
): Map<Feature, string> {
  const needs = new Map<Feature, string>();
  const macvlan = plan.steps.flatMap((s) =>
    s.kind === 'network' && s.driver === 'macvlan' ? [s.name] : [],
  );
  if (macvlan.length > 0)
    needs.set('macvlan', `macvlan network${macvlan.length > 1 ? 's' : ''} ${macvlan.join(', ')}`);
  const vlans = plan.steps.flatMap((s) =>
    s.kind === 'nic' && s.vlan && !links.has(s.interface) ? [s] : [],
  );
  if (vlans.length > 0) {
    needs.set(
      '8021q',
      vlans
        .map(
          (s) =>
            `${s.interface}, to be created as VLAN ${s.vlan?.id} on ${s.vlan?.parent} (ip link add link ${s.vlan?.parent} name ${s.interface} type vlan id ${s.vlan?.id})`,
        )
        .join('; '),
    );
  }
  if (plan.steps.some((s) => s.kind === 'swarm'))
    needs.set('vxlan', 'overlay networks (the swarm carries them in VXLAN)');
  return needs;
}

const INNER = [
  'ip link add lab-p0 type veth peer name lab-p1 >/dev/null 2>&1 || { echo "feature base no cannot create a veth pair"; exit 0; }',
  't() { f=$1; shift; if out=$("$@" 2>&1); then echo "feature $f yes"; else echo "feature $f no $(printf %s "$out" | head -n 1)"; fi; }',
  't macvlan ip link add lab-mv link lab-p0 type macvlan mode bridge',
  't 8021q ip link add link lab-p0 name lab-p0.1 type vlan id 1',
  't vxlan ip link add lab-vx type vxlan id 42 dstport 4789 dev lab-p0',
].join('\n');

/** The shell lines that print one `feature NAME yes|no WHY` line per feature (needs root). */
export function featureScript(): string[] {
  return [
    'if command -v unshare >/dev/null 2>&1; then',
    `  unshare --net sh -c ${quoteWord(INNER)} 2>&1 || echo "feature unshare failed exit $?"`,
    'else echo "feature unshare missing"; fi',
    'for m in macvlan 8021q vxlan; do [ -d /sys/module/$m ] && echo "module $m"; done',
    'true',
  ];
}

export type FeatureStatus =
  { state: 'present' } | { state: 'absent'; why: string } | { state: 'unknown'; why: string };

/** The kernel's own "no such link type" in the words of iproute2 old and new. */
const ABSENT = /unknown device type|operation not supported|not supported/i;

export function parseFeatureReport(output: string): Map<Feature, FeatureStatus> {
  const tried = new Map<string, { ok: boolean; why: string }>();
  const modules = new Set<string>();
  let trouble: string | undefined;
  for (const line of output.split('\n')) {
    const m = /^feature (\S+) (yes|no|missing|failed)\s*(.*)$/.exec(line.trim());
    if (m) {
      const [, name = '', word = '', rest = ''] = m;
      if (name === 'unshare' || name === 'base')
        trouble = `${name === 'unshare' ? 'unshare' : ''} ${word} ${rest}`.trim();
      else tried.set(name, { ok: word === 'yes', why: rest.trim() });
      continue;
    }
    const mod = /^module (\S+)$/.exec(line.trim());
    if (mod?.[1]) modules.add(mod[1]);
  }
  const out = new Map<Feature, FeatureStatus>();
  for (const f of ['macvlan', '8021q', 'vxlan'] as Feature[]) {
    const t = tried.get(f);
    if (t?.ok || (!t && modules.has(f))) out.set(f, { state: 'present' });
    else if (t && ABSENT.test(t.why)) out.set(f, { state: 'absent', why: t.why });
    else if (t) out.set(f, { state: 'unknown', why: `creating one failed: ${t.why}` });
    else
      out.set(f, {
        state: 'unknown',
        why: `no test link could be made (${trouble ?? 'no answer'}) and /sys/module/${f} is absent, which proves nothing for a built-in driver`,
      });
  }
  return out;
}

const HINTS: Record<Feature, string> = {
  macvlan: 'load the macvlan module (modprobe macvlan) or use a kernel with CONFIG_MACVLAN',
  '8021q':
    'load the 8021q module (modprobe 8021q) or use a kernel with CONFIG_VLAN_8021Q; or create the interface yourself (any link of that name), and lab uses it as it is',
  vxlan: 'load the vxlan module (modprobe vxlan) or use a kernel with CONFIG_VXLAN',
};

/** Absent features stop the run (before anything changes); unknown ones are said, and do not. */
export function featureFindings(
  needs: ReadonlyMap<Feature, string>,
  statuses: ReadonlyMap<Feature, FeatureStatus>,
): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const [f, why] of needs) {
    const s = statuses.get(f);
    if (!s || s.state === 'present') continue;
    if (s.state === 'absent') {
      problems.push(
        `${why} needs ${FEATURE_WORDS[f]}, and this kernel has none (ip says: ${s.why}); ${HINTS[f]}`,
      );
    } else {
      notes.push(`could not tell whether the kernel has ${FEATURE_WORDS[f]} (${s.why}); going on`);
    }
  }
  return { problems, notes };
}
