/**
 * What preflight reads from a host's shell, in one round trip (a remote command on its own SSH
 * session costs ~45 ms of sshd session set-up on the box, more on real hosts): its IPv4 routes, the
 * details of interfaces the scenario asks about, and, when the scenario needs kernel features, the
 * result of trying them (kernel-features.ts).
 */
import { requireSuccess } from '../ssh/checked.js';
import type { HostSession } from '../host/session.js';
import { quoteWord } from '../ssh/quote.js';
import {
  featureScript,
  parseFeatureReport,
  type Feature,
  type FeatureStatus,
} from './kernel-features.js';
import { parseRoutes, type Route } from './routes.js';

export interface HostProbe {
  routes: Route[];
  /** `ip -d -o link show dev X` per asked interface that exists. */
  linkDetails: Map<string, string>;
  features?: Map<Feature, FeatureStatus>;
}

export function probeScript(details: readonly string[], features: boolean): string {
  const lines = ['echo @@section routes', 'ip -o -4 route show'];
  for (const name of details) {
    lines.push(
      `echo @@section link ${quoteWord(name)}`,
      `ip -d -o link show dev ${quoteWord(name)} 2>/dev/null || true`,
    );
  }
  if (features) lines.push('echo @@section features', ...featureScript());
  return `${lines.join('\n')}\n`;
}

export function parseProbe(output: string): { sections: Map<string, string> } {
  const sections = new Map<string, string>();
  let current: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (current !== undefined) sections.set(current, body.join('\n'));
  };
  for (const line of output.split('\n')) {
    const m = /^@@section (.+)$/.exec(line);
    if (m?.[1]) {
      flush();
      current = m[1];
      body = [];
    } else body.push(line);
  }
  flush();
  return { sections };
}

export async function probeHost(
  session: HostSession,
  details: readonly string[],
  features: boolean,
): Promise<HostProbe> {
  // Trying kernel features needs a namespace of its own: root. Read-only, so an exec rather than
  // a script (scripts are how lab changes a host).
  const r = await session.shell.exec(['sh', '-c', probeScript(details, features)], {
    become: features,
  });
  requireSuccess(
    session.host,
    'ip -o -4 route show; ip -d -o link show …',
    r,
    `could not read routes and interfaces on ${session.host}`,
  );
  const { sections } = parseProbe(r.stdout);
  const linkDetails = new Map<string, string>();
  for (const name of details) {
    const text = sections.get(`link ${name}`)?.trim();
    if (text) linkDetails.set(name, text);
  }
  return {
    routes: parseRoutes(sections.get('routes') ?? ''),
    linkDetails,
    ...(features && { features: parseFeatureReport(sections.get('features') ?? '') }),
  };
}
