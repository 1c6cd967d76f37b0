/** lab's JSON report documents → what the picture shows (model.ts). Pure. */
import { addParentNics } from './from-plan.js';
import {
  containerKey,
  type PicAssertion,
  type PicCell,
  type PicHost,
  type PicMatrix,
  type PicReport,
  type PicSection,
  type PicSource,
  type PicTarget,
  type PicTopology,
  type TargetKind,
} from './model.js';
import type {
  CheckDocument,
  ReportDocument,
  RunDocument,
  SuiteDocument,
} from './report-documents.js';

export function reportOf(r: ReportDocument): PicReport {
  if (r.kind === 'run') {
    const section = runSection(r.doc);
    return { title: `lab run ${r.doc.scenario}`, verdict: section.verdict, sections: [section] };
  }
  if (r.kind === 'check') {
    const section = checkSection(r.doc);
    return { title: 'lab check connectivity', verdict: section.verdict, sections: [section] };
  }
  return suiteReport(r.doc);
}

const ms = (n: number) => `${(n / 1000).toFixed(1)} s`;

function suiteReport(doc: SuiteDocument): PicReport {
  const sections = doc.scenarios.flatMap((s) =>
    'checks' in s ? [runSection(s as RunDocument)] : [],
  );
  const codes = doc.summary.map((s) => s.verdict);
  const verdict = codes.includes('interrupted')
    ? 'interrupted'
    : codes.includes('error')
      ? 'error'
      : codes.includes('bad input')
        ? 'bad input'
        : codes.includes('fail')
          ? 'fail'
          : codes.includes('differs')
            ? 'differs'
            : 'pass';
  return {
    title: 'lab run --all',
    verdict,
    sections,
    summary: doc.summary.map(({ scenario, verdict, held, total, runMs }) => ({
      scenario,
      verdict,
      held,
      total,
      runMs,
    })),
    durationMs: doc.durationMs,
  };
}

function runSection(doc: RunDocument): PicSection {
  const engines = new Map(
    doc.hosts.map((h) => [
      h.host,
      h.engine === undefined ? undefined : `${h.engineProduct ?? 'Docker'} ${h.engine}`,
    ]),
  );
  const errors = new Map(doc.hosts.flatMap((h) => (h.error ? [[h.host, h.error.message]] : [])));
  const topology: PicTopology = {
    hosts: (doc.topology?.hosts ?? doc.hosts.map((h) => ({ name: h.host }))).map((h) =>
      withHostFacts(h as Partial<PicHost> & { name: string }, engines, errors),
    ),
  };
  const matrix = runMatrix(doc);
  fillAddresses(topology, matrix.targets);
  const ssh = doc.ssh as { connectionsOpened?: number; commandsRun?: number } | undefined;
  const facts: [string, string][] = [['duration', ms(doc.durationMs)]];
  if (ssh?.connectionsOpened !== undefined)
    facts.push(['SSH connections', String(ssh.connectionsOpened)]);
  if (ssh?.commandsRun !== undefined) facts.push(['SSH commands', String(ssh.commandsRun)]);
  facts.push(['steps', String(doc.hosts.reduce((n, h) => n + h.steps.length, 0))]);
  return {
    title: doc.scenario,
    source: 'lab run',
    verdict: doc.verdict === 'bad-input' ? 'bad input' : doc.verdict,
    durationMs: doc.durationMs,
    topology,
    matrix,
    assertions: (doc.assertions ?? []).map((a): PicAssertion => ({
      claim: a.claim,
      host: a.host,
      outcome: a.outcome,
      reason: a.reason,
      ...(a.seed && { seed: seedText(a.seed) }),
      ...(a.difference && { seed: differenceText(a) }),
      evidence: a.evidence ?? '',
      command: a.command ?? '',
    })),
    facts,
    notes: [
      ...doc.hosts.flatMap((h) => (h.error ? [`${h.host}: ${h.error.message}`] : [])),
      ...doc.hosts.flatMap((h) => (h.notes ?? []).map((n) => `${h.host}: ${n}`)),
    ],
  };
}

function withHostFacts(
  h: Partial<PicHost> & { name: string },
  engines: Map<string, string | undefined>,
  errors: Map<string, string>,
): PicHost {
  const engine = h.engine ?? engines.get(h.name);
  const error = h.error ?? errors.get(h.name);
  return {
    name: h.name,
    ...(h.address !== undefined && { address: h.address }),
    ...(engine !== undefined && { engine }),
    nics: (h.nics ?? []).map((n) => ({ ...n, flags: [...n.flags] })),
    networks: [...(h.networks ?? [])],
    containers: (h.containers ?? []).map((c) => ({ ...c, networks: [...c.networks] })),
    ...(error !== undefined && { error }),
  };
}

/** A run's checks as a sparse matrix: the containers they start from × what they aim at. */
function runMatrix(doc: RunDocument): PicMatrix {
  const sources = new Map<string, PicSource>();
  const targets = new Map<string, PicTarget>();
  const cells: PicCell[] = doc.checks.map((c) => {
    const source = containerKey({ name: c.from.container, host: c.from.host });
    sources.set(source, { key: source, name: c.from.container, host: c.from.host });
    const kind = (
      ['container', 'gateway', 'host', 'address'].includes(c.to.kind) ? c.to.kind : 'address'
    ) as TargetKind;
    const key = `${kind}:${c.to.container ?? c.to.host ?? ''}/${c.to.network ?? ''}/${c.to.address ?? c.to.label}`;
    if (!targets.has(key)) {
      targets.set(key, {
        key,
        kind,
        label: c.to.label,
        ...(c.to.address && { address: c.to.address }),
        ...(c.to.network !== undefined && { network: c.to.network }),
        ...(c.to.host !== undefined && { host: c.to.host }),
        ...(c.to.container !== undefined && { container: c.to.container }),
      });
    }
    return {
      source,
      target: key,
      expect: c.expect,
      reason: c.reason,
      outcome: c.outcome,
      ...(c.seed && { seed: seedText(c.seed) }),
      ...(c.reached !== undefined && { reached: c.reached }),
      address: c.to.address ?? '',
      observed: observedOf(c),
      reproduce: c.reproduce ?? '',
      ...(c.durationMs !== undefined && { durationMs: c.durationMs }),
    };
  });
  return { sources: [...sources.values()], targets: [...targets.values()], cells };
}

function observedOf(c: RunDocument['checks'][number]): string {
  const first = (c.evidence ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  if (c.outcome === 'error') return `the probe could not run: ${first}`;
  // The evidence's first line says it all when there is one (lab run's own words).
  if (first) return first;
  const tries =
    c.attempts === undefined ? '' : ` after ${c.attempts} attempt${c.attempts === 1 ? '' : 's'}`;
  return `${c.reached ? 'a reply came back' : 'no reply'}${tries}`;
}

/** Addresses Docker chose at run time are known from the checks that aimed at them. */
function fillAddresses(topology: PicTopology, targets: readonly PicTarget[]): void {
  for (const t of targets) {
    if (t.kind !== 'container' || !t.address || !t.container || !t.network) continue;
    const c = topology.hosts
      .find((h) => h.name === t.host)
      ?.containers.find((x) => x.name === t.container);
    const a = c?.networks.find((n) => n.network === t.network);
    if (a && a.address === undefined) a.address = t.address;
  }
}

function checkSection(doc: CheckDocument): PicSection {
  const topology: PicTopology = {
    hosts: doc.hosts.map((h) => checkHost(doc, h)),
  };
  const facts = checkFacts(doc);
  return {
    title: 'connectivity',
    source: 'lab check connectivity',
    verdict: doc.verdict,
    durationMs: doc.durationMs,
    topology,
    matrix: {
      sources: doc.sources.map((s) => ({ key: s.key, name: s.name, host: s.host })),
      targets: doc.targets.map((t) => ({
        key: t.key,
        kind: t.kind,
        label: t.label,
        address: t.address,
        ...(t.network !== undefined && { network: t.network }),
        ...(t.host !== undefined && { host: t.host }),
        ...(t.container !== undefined && { container: t.container }),
      })),
      cells: doc.cells.map((c) => ({
        source: c.source,
        target: c.target,
        expect: c.expect,
        reason: c.reason,
        outcome: c.outcome,
        ...(c.reached !== undefined && { reached: c.reached }),
        address: c.address,
        observed: c.observed,
        reproduce: c.reproduce,
        ...(c.durationMs !== undefined && { durationMs: c.durationMs }),
      })),
    },
    assertions: [],
    facts,
    notes: doc.hosts.flatMap((h) => (h.error ? [`${h.host}: ${h.error.message}`] : [])),
  };
}

/** One host of the check document as the picture draws it. */
function checkHost(doc: CheckDocument, h: CheckDocument['hosts'][number]): PicHost {
  const containers = doc.sources
    // A host's own row (it probes other hosts' published ports) is the host, not a container in it.
    .filter((s) => s.host === h.host && s.hostSource !== true)
    .map((s) => ({
      name: s.name,
      ...(s.image !== undefined && { image: s.image }),
      networks: s.endpoints.map((e) => ({ network: e.network, address: e.ipv4 })),
      ports: (s.published ?? []).map(publishFlag),
      ...(s.unavailable !== undefined && { unavailable: s.unavailable }),
    }));
  // The check lists every network of the host (their gateways are targets); the picture draws those
  // the containers are on, as a run's does, not Docker's own `host` and `none` or another lab's.
  const used = new Set(containers.flatMap((c) => c.networks.map((n) => n.network)));
  const networks = (doc.networks ?? [])
    .filter((n) => n.host === h.host && used.has(n.name))
    .map(({ name, driver, subnet, gateway, parent, internal }) => ({
      name,
      driver,
      ...(subnet !== undefined && { subnet }),
      ...(gateway !== undefined && { gateway }),
      ...(parent && { parent }),
      ...(internal && { internal }),
    }));
  for (const c of containers) {
    for (const { network } of c.networks) {
      if (!networks.some((n) => n.name === network))
        networks.push({ name: network, driver: 'bridge' });
    }
  }
  const nics: PicHost['nics'] = (h.nics ?? []).map((n) => ({
    name: n.name,
    // The state found, in the words a run's picture uses for the state it set.
    flags: [
      n.up ? 'up' : 'down',
      n.promisc ? 'promisc' : 'promisc off',
      ...(n.vlan ? [`vlan ${n.vlan.id} on ${n.vlan.parent}`] : []),
    ],
    ...(n.vlan && { vlan: { parent: n.vlan.parent, id: n.vlan.id } }),
  }));
  addParentNics(nics, networks);
  return {
    name: h.host,
    address: h.address,
    ...(h.engine !== undefined && { engine: `Docker ${h.engine}` }),
    nics,
    networks,
    containers,
    ...(h.error && { error: h.error.message }),
  };
}

/** A published port as `docker run -p` writes it ("8080:80", "127.0.0.1:5353:53/udp"), as a run's picture has it. */
function publishFlag(p: {
  port: number;
  protocol: string;
  hostPort: number;
  hostIp?: string | undefined;
}): string {
  return `${p.hostIp ? `${p.hostIp}:` : ''}${p.hostPort}:${p.port}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`;
}

/** The run's figures: durations, cells and the round trips the document counted. */
function checkFacts(doc: CheckDocument): [string, string][] {
  const trips = doc.roundTrips as Record<string, unknown>;
  const facts: [string, string][] = [
    ['duration', ms(doc.durationMs)],
    ['discovery', ms(doc.phases.discoverMs)],
    ['probing', ms(doc.phases.probeMs)],
    ['cells', String(doc.counts.cells)],
  ];
  for (const [key, label] of [
    ['sshConnections', 'SSH connections'],
    ['sshCommands', 'SSH commands'],
    ['dockerCalls', 'Docker calls'],
    ['probers', 'probers'],
  ] as const) {
    if (typeof trips[key] === 'number') facts.push([label, String(trips[key])]);
  }
  return facts;
}

/** "the seed (二.6) says: "…" — …; Docker 20.10.24" for a claim of the seed. */
function seedText(seed: {
  section: string;
  says: string;
  words?: string | undefined;
  docker?: string | undefined;
  engine?: string | undefined;
}): string {
  const words = seed.words ? `"${seed.words}" — ` : '';
  const on = seed.docker ? `; checked on ${seed.engine ?? 'Docker'} ${seed.docker}` : '';
  return `the seed (${seed.section}) says: ${words}${seed.says}${on}`;
}

/** "differs from the seed's Docker on Podman 4.3.1: …" for a difference of the host's engine. */
function differenceText(a: {
  difference?: string | undefined;
  docker?: string | undefined;
  engine?: string | undefined;
}): string {
  const on = `${a.engine ?? 'Docker'}${a.docker ? ` ${a.docker}` : ''}`;
  return `differs from the seed’s Docker on ${on}: ${a.difference ?? ''}`;
}
