import { LabError } from '../common/errors.js';
import type { HostSession } from './session.js';

/**
 * The hosts whose connection ended by itself (keepalives unanswered), by name, with the words for
 * it: "connection to server2 (198.18.0.2:22) lost". Read after the work: what failed there failed
 * because the host was lost, not because of a probe or a step.
 */
export function lostHosts(sessions: Iterable<HostSession>): Map<string, string> {
  const lost = new Map<string, string>();
  for (const s of sessions) {
    const why = s.shell.lost?.();
    if (why) lost.set(s.host, why);
  }
  return lost;
}

/** "connection to server2 (198.18.0.2:22) lost during the checks", as an error of that host. */
export function lostError(host: string, why: string, phase: string, cause?: unknown): LabError {
  return new LabError(
    'host',
    `${why} during ${phase}`,
    {
      host,
      hint: `is ${host} up and reachable? Its work stopped where it was; lab down removes what was made once it answers`,
    },
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Results that involve a lost host (as source or target) become ERRORs that say so; the others
 * keep their real outcome. `hostsOf` names the hosts a result involves.
 */
export function markLost<T extends { outcome: string }>(
  results: readonly T[],
  lost: ReadonlyMap<string, string>,
  phase: string,
  hostsOf: (r: T) => (string | undefined)[],
  asError: (r: T, evidence: string) => T,
): T[] {
  if (lost.size === 0) return [...results];
  return results.map((r) => {
    const host = hostsOf(r).find((h) => h !== undefined && lost.has(h));
    return host ? asError(r, `${lost.get(host)} during ${phase}`) : r;
  });
}
