/**
 * `lab run`'s last stage: the scenario's expectations, probed with the same machinery as
 * `lab check connectivity` (one prober per source container, in its network namespace, leaving
 * through the interface on the expectation's network; verdict from ping's exit status).
 */
import { errorText } from '../common/errors.js';
import { randomBytes } from 'node:crypto';
import type { PlannedCheck } from '../plan/model.js';
import { checkCommand } from '../plan/commands.js';
import type { HostSession } from '../host/session.js';
import { bindingOf, chooseEndpoint, endpointsOf } from './bind.js';
import type { Outcome } from './outcome.js';
import { judgedProbe, probeNotRun, type CheckResult } from './probe-result.js';
import type { ProbeSpec } from './probe-script.js';
import { probeSources, type SourceResult } from './probe-sources.js';
import { probeCommand } from './reproduce.js';

export type { Outcome, CheckResult };

export interface CheckOptions {
  /** How long a "must reach" pair may keep trying (ARP, a container still starting). */
  waitMs: number;
  /** Reply timeout of one ping, seconds (whole seconds: ping's -W). */
  pingTimeoutSeconds: number;
  /** Probers at once per host. */
  concurrency: number;
  /** Image of the probers (must have busybox: sh, ping); default busybox:latest. */
  probeImage?: string;
  /** Labels this run's probers (default: random). */
  runId?: string;
  signal?: AbortSignal;
  now?: () => number;
}

import { DEFAULT_PROBE_IMAGE } from './probe-image.js';

/**
 * Runs every check, one prober per source container, all sources at once. A source's prober starts
 * as soon as every one of its checks is `ready` (its containers run). "Must reach" checks are retried
 * inside the prober until they reach or `waitMs` runs out; "must not reach" checks get exactly one
 * probe, so a slow network can never turn into a false "isolated".
 */
export async function runChecks(
  checks: readonly PlannedCheck[],
  sessions: ReadonlyMap<string, HostSession>,
  options: CheckOptions,
  /** Resolves when the check's containers are up; rejects when making them failed. */
  ready: (check: PlannedCheck) => Promise<void> = async () => {},
): Promise<CheckResult[]> {
  const runId = options.runId ?? randomBytes(4).toString('hex');
  const image = options.probeImage ?? DEFAULT_PROBE_IMAGE;
  const groups = new Map<string, PlannedCheck[]>();
  for (const c of checks) {
    const key = `${c.from.host}/${c.from.container}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const results = new Map<PlannedCheck, CheckResult>();
  const error = (check: PlannedCheck, evidence: string, address = check.to.address) =>
    results.set(check, {
      check,
      ...probeNotRun(evidence),
      address,
      reproduce: checkCommand(check),
    });

  const run: GroupRun = { sessions, options, ready, runId, image, error, results };
  await Promise.all([...groups.values()].map((group) => checkGroup(group, run)));
  return checks.map(
    (c) =>
      results.get(c) ?? {
        check: c,
        ...probeNotRun('not probed'),
        address: c.to.address,
        reproduce: checkCommand(c),
      },
  );
}

/** What every source group of one `runChecks` call shares. */
interface GroupRun {
  sessions: ReadonlyMap<string, HostSession>;
  options: CheckOptions;
  ready: (check: PlannedCheck) => Promise<void>;
  runId: string;
  image: string;
  error: (check: PlannedCheck, evidence: string, address?: string) => void;
  results: Map<PlannedCheck, CheckResult>;
}

/** Waits for one source container's checks to be ready, then probes them with one prober. */
async function checkGroup(group: readonly PlannedCheck[], run: GroupRun): Promise<void> {
  const { sessions, options, ready, runId, image, error, results } = run;
  const first = group[0] as PlannedCheck;
  const settled = await Promise.allSettled(group.map((c) => ready(c)));
  const go: PlannedCheck[] = [];
  settled.forEach((s, i) => {
    const check = group[i] as PlannedCheck;
    if (s.status === 'fulfilled') go.push(check);
    else error(check, `not probed: ${firstLine(s.reason)}`);
  });
  // A host lost meanwhile: a probe towards or from it would only wait out its time.
  const lost = (h: string | undefined) => (h ? sessions.get(h)?.shell.lost?.() : undefined);
  for (const c of [...go]) {
    const why = lost(c.from.host) ?? lost(c.to.host);
    if (!why) continue;
    go.splice(go.indexOf(c), 1);
    error(c, `${why} during the checks`);
  }
  if (go.length === 0) return;
  const session = sessions.get(first.from.host);
  if (!session) return go.forEach((c) => error(c, `no session to ${first.from.host}`));
  const source = await session.docker.inspectContainer(first.from.container).catch(() => undefined);
  if (!source?.running) {
    return go.forEach((c) =>
      error(
        c,
        `${first.from.container} is ${source ? 'not running' : 'not there'} on ${first.from.host}`,
      ),
    );
  }
  const { specs, byTag } = await probeSpecs(go, endpointsOf(source), sessions, error);
  if (specs.length === 0) return;
  const [probed] = await probeSources(
    [
      {
        host: first.from.host,
        docker: session.docker,
        source: { id: source.id, name: source.name },
        image,
        sourceImage: source.image,
        specs,
      },
    ],
    {
      timeoutSeconds: options.pingTimeoutSeconds,
      waitMs: options.waitMs,
      runId,
      perHost: options.concurrency,
      ...(options.signal && { signal: options.signal }),
      ...(options.now && { now: options.now }),
    },
  );
  for (const [tag, { check, address }] of byTag) {
    results.set(check, judgeProbe(check, address, probed, tag, image, options));
  }
}

/** The probe of each check from one source; a check whose address cannot be found is an ERROR. */
async function probeSpecs(
  go: readonly PlannedCheck[],
  endpoints: ReturnType<typeof endpointsOf>,
  sessions: ReadonlyMap<string, HostSession>,
  error: (check: PlannedCheck, evidence: string) => void,
): Promise<{ specs: ProbeSpec[]; byTag: Map<string, { check: PlannedCheck; address: string }> }> {
  const specs: ProbeSpec[] = [];
  const byTag = new Map<string, { check: PlannedCheck; address: string }>();
  for (const check of go) {
    const address = check.to.address || (await resolveAddress(check, sessions));
    if (!address) {
      error(check, `could not find the address of ${check.to.label}`);
      continue;
    }
    const tag = String(specs.length + 1);
    byTag.set(tag, { check, address });
    const endpoint = chooseEndpoint(endpoints, {
      ...(check.to.network !== undefined && { network: check.to.network }),
      address,
    });
    const mode = check.expect === 'reach' ? 'retry' : 'once';
    const port = check.to.port;
    specs.push(
      port
        ? { tag, mode, kind: port.protocol, dest: address, port: port.port }
        : {
            tag,
            mode,
            kind: 'ip',
            dest: address,
            ...bindingOf(endpoint),
            // Across hosts, a pair that must reach also carries one full-size packet (path MTU).
            ...(mode === 'retry' &&
              check.to.kind === 'container' &&
              check.to.host !== undefined &&
              check.to.host !== check.from.host && {
                fullSize: true,
                path: `${check.to.host}/${check.to.network ?? '-'}`,
              }),
          },
    );
  }
  return { specs, byTag };
}

/** One check's result from its source's probe line (or the prober's error). */
function judgeProbe(
  check: PlannedCheck,
  address: string,
  probed: SourceResult | undefined,
  tag: string,
  image: string,
  options: CheckOptions,
): CheckResult {
  const line = probed?.lines.get(tag);
  const reproduce = probeCommand({
    container: check.from.container,
    image,
    kind: 'ip',
    dest: address,
    ...(line?.iface && { iface: line.iface }),
    timeoutSeconds: options.pingTimeoutSeconds,
    ...(check.to.port && { port: check.to.port }),
  });
  if (!line && probed?.error) {
    return { check, ...probeNotRun(probed.error.message), address, reproduce };
  }
  const judged = judgedProbe(check.expect, line, 'ip', check.to.port, options.pingTimeoutSeconds);
  return { check, ...judged, address, reproduce };
}

function firstLine(err: unknown): string {
  return errorText(err).split('\n')[0] ?? '';
}

async function resolveAddress(
  check: PlannedCheck,
  sessions: ReadonlyMap<string, HostSession>,
): Promise<string | undefined> {
  const to = check.to;
  if (to.kind === 'container' && to.host && to.network && to.container) {
    const info = await sessions.get(to.host)?.docker.inspectContainer(to.container);
    return info?.networks[to.network]?.ipv4;
  }
  if (to.kind === 'gateway' && to.network) {
    const info = await sessions.get(check.from.host)?.docker.inspectNetwork(to.network);
    return info?.gateway;
  }
  return undefined;
}
