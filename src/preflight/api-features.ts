import { featureGap, type ApiFeature } from '../docker/api-version.js';
import type { HostPlan } from '../plan/model.js';

/**
 * What the plan asks of this host's Engine that its API does not have (api-version.ts,
 * API_FEATURES), found before anything changes; the Engine client refuses the same at the call.
 */
export function apiFeatureProblems(plan: HostPlan, host: string, apiVersion: string): string[] {
  const wanted = new Set<ApiFeature>();
  for (const step of plan.steps) {
    if (step.kind === 'container' && (step.publish ?? []).some((p) => /\/sctp\s*$/i.test(p)))
      wanted.add('sctpPorts');
    if (step.kind === 'swarm' && step.role === 'manager' && step.addressPool !== undefined)
      wanted.add('swarmAddressPool');
  }
  // The host is named by the preflight error around these lines ("server1 is not ready for …").
  return [...wanted].flatMap((feature) => featureGap(host, apiVersion, feature) ?? []);
}
