/**
 * Preflight for a swarm and its overlays (issue 13, item 4): before anything changes, every swarm host
 * tries every other on the ports a swarm needs — 2377/tcp to a manager (joining and managing),
 * 7946/tcp+udp (the nodes' gossip) and 4789/udp (VXLAN, which carries the overlay's traffic). A port
 * that does not get through stops the run with the words of what would go wrong, instead of a
 * mysterious timeout later.
 *
 * No listener is needed: TCP to a port nothing listens on is answered by a reset, UDP by an ICMP
 * "port unreachable" — both prove the packet got through the host's firewall. Silence means dropped,
 * except on a UDP port something already listens on (a swarm already there), which keeps quiet
 * either way: that is said as not known, never as blocked. The probes run in one short-lived prober
 * per host in the host's own network namespace (`--network host`), labelled and removed as every
 * prober is.
 */
import { LabError } from '../common/errors.js';
import { portText, type PortSpec } from '../common/port.js';
import type { HostSession } from '../host/session.js';
import type { Plan, SwarmStep } from '../plan/model.js';
import { buildProbeScript, parseProbeOutput, type ProbeSpec } from '../probe/probe-script.js';
import { proberLabels, proberName } from '../probe/prober.js';

interface SwarmPort extends PortSpec {
  /** What it carries, in the message: "VXLAN". */
  what: string;
  /** What would go wrong without it. */
  consequence: string;
  managersOnly?: boolean;
}

export const SWARM_PORTS: readonly SwarmPort[] = [
  {
    port: 2377,
    protocol: 'tcp',
    what: 'swarm management',
    consequence: 'it could not join or manage the swarm',
    managersOnly: true,
  },
  {
    port: 7946,
    protocol: 'tcp',
    what: 'node gossip',
    consequence: 'the nodes would not learn of each other',
  },
  {
    port: 7946,
    protocol: 'udp',
    what: 'node gossip',
    consequence: 'the nodes would not learn of each other',
  },
  {
    port: 4789,
    protocol: 'udp',
    what: 'VXLAN',
    consequence: 'the overlay would carry no traffic',
  },
];

/** Seconds one probe waits for an answer; generous, so that a busy host is not taken for a drop. */
const ANSWER_SECONDS = 2;

export interface PortFindings {
  /** By the host whose port does not get through. */
  errors: Map<string, LabError>;
  /** By the host that probed: what could not be told. */
  notes: Map<string, string[]>;
}

interface Pair {
  from: string;
  to: string;
  address: string;
  port: SwarmPort;
}

function addressOf(step: SwarmStep): string {
  return step.advertiseAddress.replace(/:\d+$/, '');
}

/** Every (from, to, port) the swarm needs, from the plan's swarm steps. */
export function swarmPairs(plan: Plan): Pair[] {
  const steps = plan.hosts.flatMap((h) => h.steps.filter((s) => s.kind === 'swarm'));
  const pairs: Pair[] = [];
  for (const a of steps) {
    for (const b of steps) {
      if (a.host === b.host) continue;
      for (const port of SWARM_PORTS) {
        if (port.managersOnly && b.role !== 'manager') continue;
        pairs.push({ from: a.host, to: b.host, address: addressOf(b), port });
      }
    }
  }
  return pairs;
}

export async function checkSwarmPorts(
  plan: Plan,
  sessions: ReadonlyMap<string, HostSession>,
  options: { probeImage: string; runId: string; wallNow?: () => number },
): Promise<PortFindings> {
  const findings: PortFindings = { errors: new Map(), notes: new Map() };
  const pairs = swarmPairs(plan);
  if (pairs.length === 0) return findings;
  const hosts = [...new Set(pairs.flatMap((p) => [p.from, p.to]))];
  const listening = new Map(
    await Promise.all(hosts.map(async (h) => [h, await udpListeners(sessions.get(h))] as const)),
  );
  await Promise.all(
    hosts.map(async (from) => {
      const mine = pairs.filter((p) => p.from === from);
      const session = sessions.get(from);
      if (!session || mine.length === 0) return;
      const seen = await probeFrom(session, mine, options);
      for (const [i, p] of mine.entries()) {
        judgePair(p, seen.get(String(i + 1)), listening.get(p.to), findings);
      }
    }),
  );
  return findings;
}

type Seen = { state?: string; trouble?: string } | undefined;

function judgePair(p: Pair, seen: Seen, listeners: Set<string> | undefined, f: PortFindings) {
  const port = portText(p.port);
  const note = (text: string) => f.notes.set(p.from, [...(f.notes.get(p.from) ?? []), text]);
  if (!seen || seen.trouble !== undefined || seen.state === undefined) {
    note(
      `could not check ${port} from ${p.from} to ${p.to}: ${seen?.trouble ?? 'the probe gave no answer'}`,
    );
    return;
  }
  if (seen.state === 'open' || seen.state === 'refused') return;
  if (seen.state === 'silent' && p.port.protocol === 'udp' && listeners?.has(String(p.port.port))) {
    note(
      `${port} from ${p.from} to ${p.to} not known: something on ${p.to} already listens on ${port} and keeps quiet, so a drop would look the same`,
    );
    return;
  }
  const how =
    seen.state === 'unreach' ? 'an ICMP error came back' : `no answer within ${ANSWER_SECONDS} s`;
  const message = `${p.from} cannot reach ${p.to} on ${port} (${p.port.what}): ${p.port.consequence}; open it in the host firewall`;
  const problem = `${message} (${how})`;
  const old = f.errors.get(p.to);
  const text = old ? `${old.message}\n  - ${problem}` : `${problem}`;
  f.errors.set(
    p.to,
    new LabError('conflict', text, {
      host: p.to,
      hint: `nothing was changed on any host; let ${port} from ${p.from} (${p.address} is ${p.to}'s swarm address) through ${p.to}'s firewall and anything between, then run again`,
    }),
  );
}

/** The UDP ports something already listens on, from `ss` (iproute2); empty when it cannot be read. */
async function udpListeners(session: HostSession | undefined): Promise<Set<string>> {
  if (!session) return new Set();
  try {
    const r = await session.shell.exec(['ss', '-Hlun']);
    if (r.exitCode !== 0) return new Set();
    return new Set(
      r.stdout
        .split('\n')
        // State Recv-Q Send-Q Local:Port Peer:Port
        .map((line) => /:(\d+)$/.exec(line.trim().split(/\s+/)[3] ?? '')?.[1])
        .filter((x): x is string => x !== undefined),
    );
  } catch {
    return new Set();
  }
}

/** One prober on the host's own network runs every probe from there; its lines by tag. */
async function probeFrom(
  session: HostSession,
  pairs: readonly Pair[],
  options: { probeImage: string; runId: string; wallNow?: () => number },
): Promise<Map<string, Seen>> {
  const specs: ProbeSpec[] = pairs.map((p, i) => ({
    tag: String(i + 1),
    mode: 'once',
    kind: p.port.protocol,
    dest: p.address,
    port: p.port.port,
  }));
  const script = buildProbeScript(specs, { timeoutSeconds: ANSWER_SECONDS, waitSeconds: 0 });
  const timeoutMs = 30_000;
  const until = (options.wallNow ?? Date.now)() + timeoutMs;
  const out = new Map<string, Seen>();
  try {
    const r = await session.docker.run(
      {
        name: proberName(options.runId, `swarm-ports-${session.host}`),
        image: options.probeImage,
        command: ['sh', '-c', script],
        labels: proberLabels(session.host, options.runId, `swarm-ports-${session.host}`, until),
        networkMode: 'host',
        autoRemove: true,
      },
      { timeoutMs },
    );
    const parsed = parseProbeOutput(r.stdout);
    for (const [tag, line] of parsed.lines) {
      out.set(
        tag,
        line.status === 'error'
          ? { trouble: line.detail ?? 'the probe failed' }
          : line.port
            ? { state: line.port }
            : undefined,
      );
    }
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    for (const [i] of pairs.entries())
      out.set(String(i + 1), {
        trouble: `the prober (${options.probeImage}) did not run: ${why ?? ''}`,
      });
  }
  return out;
}
