import { createHash } from 'node:crypto';
import type { Labels } from '../docker/docker-client.js';

/**
 * Labels are how lab knows what it made. Every container, network and volume it creates carries
 * them, so `lab down` removes exactly those (found by label, even when the scenario file has changed
 * or a run crashed half-way) and never touches anything else with a similar name.
 */
export const LABEL = {
  managed: 'lab.managed',
  scenario: 'lab.scenario',
  host: 'lab.host',
  /** A short hash of the spec the object was created from: a re-run that finds the same hash changes nothing. */
  spec: 'lab.spec',
  kind: 'lab.kind',
} as const;

export function ownershipLabels(scenario: string, host: string): Labels {
  return { [LABEL.managed]: 'true', [LABEL.scenario]: scenario, [LABEL.host]: host };
}

/** Stable hash of a JSON-able value (object keys sorted), 12 hex characters. */
export function specHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 12);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when labels say lab made the object for this scenario. */
export function isOwnedBy(labels: Labels, scenario: string): boolean {
  return labels[LABEL.managed] === 'true' && labels[LABEL.scenario] === scenario;
}

/** True when labels say lab made the object (for any scenario). */
export function isLabManaged(labels: Labels): boolean {
  return labels[LABEL.managed] === 'true';
}
