/**
 * lab's own JSON report documents (`lab run --json`, `lab run --all --json`, `lab check connectivity
 * --json`) as read back by `lab report FILE.json`: only the fields a picture needs are checked, so a
 * report from an older lab still draws; anything else is refused with what was expected.
 */
import { z } from 'zod';

const outcome = z.enum(['pass', 'fail', 'error', 'differs']);
const hostError = z.looseObject({ message: z.string() });
/** A claim of the seed an expectation or assertion checks, and the Docker it was checked on. */
const seedClaim = z.looseObject({
  section: z.string(),
  says: z.string(),
  words: z.string().optional(),
  docker: z.string().optional(),
  engine: z.string().optional(),
});

/** A network as both reports describe it (the check's also names its host). */
const networkFields = {
  name: z.string(),
  driver: z.string(),
  subnet: z.string().optional(),
  gateway: z.string().optional(),
  parent: z.string().optional(),
  internal: z.boolean().optional(),
};

const attachment = z.looseObject({ network: z.string(), address: z.string().optional() });
const topology = z.looseObject({
  hosts: z.array(
    z.looseObject({
      name: z.string(),
      address: z.string().optional(),
      nics: z.array(
        z.looseObject({
          name: z.string(),
          flags: z.array(z.string()),
          vlan: z.looseObject({ parent: z.string(), id: z.number() }).optional(),
        }),
      ),
      networks: z.array(z.looseObject(networkFields)),
      containers: z.array(
        z.looseObject({
          name: z.string(),
          image: z.string().optional(),
          networks: z.array(attachment),
          ports: z.array(z.string()),
        }),
      ),
    }),
  ),
});

const check = z.looseObject({
  from: z.looseObject({ host: z.string(), container: z.string() }),
  to: z.looseObject({
    kind: z.string(),
    label: z.string(),
    address: z.string().optional(),
    network: z.string().optional(),
    container: z.string().optional(),
    host: z.string().optional(),
  }),
  expect: z.enum(['reach', 'no-reach']),
  reason: z.string(),
  seed: seedClaim.optional(),
  outcome,
  reached: z.boolean().optional(),
  attempts: z.number().optional(),
  durationMs: z.number().optional(),
  evidence: z.string().optional(),
  reproduce: z.string().optional(),
});

const assertion = z.looseObject({
  host: z.string(),
  reason: z.string(),
  seed: seedClaim.optional(),
  /** How the host's engine does otherwise than the seed's Docker, and that engine. */
  difference: z.string().optional(),
  docker: z.string().optional(),
  engine: z.string().optional(),
  outcome,
  claim: z.string(),
  evidence: z.string().optional(),
  command: z.string().optional(),
});

/** A run's verdict: a cell's outcome, or a run refused in preflight or stopped by Ctrl-C. */
const runVerdict = z.enum(['pass', 'differs', 'fail', 'error', 'bad-input', 'interrupted']);

export const runDocument = z.looseObject({
  scenario: z.string(),
  verdict: runVerdict,
  durationMs: z.number(),
  hosts: z.array(
    z.looseObject({
      host: z.string(),
      engine: z.string().optional(),
      engineProduct: z.string().optional(),
      steps: z.array(z.looseObject({ id: z.string(), action: z.string() })),
      error: hostError.optional(),
      notes: z.array(z.string()).optional(),
    }),
  ),
  checks: z.array(check),
  assertions: z.array(assertion).optional(),
  topology: topology.optional(),
  ssh: z.looseObject({}).optional(),
});

export const suiteDocument = z.looseObject({
  scenarios: z.array(
    z.union([runDocument, z.looseObject({ scenario: z.string(), error: z.string() })]),
  ),
  summary: z.array(
    z.looseObject({
      scenario: z.string(),
      verdict: z.string(),
      held: z.number(),
      total: z.number(),
      runMs: z.number(),
    }),
  ),
  durationMs: z.number(),
});

const endpoint = z.looseObject({ network: z.string(), ipv4: z.string() });
/** A NIC as the check read it on its host (`ip -o link show`). */
const checkNic = z.looseObject({
  name: z.string(),
  up: z.boolean(),
  promisc: z.boolean(),
  vlan: z.looseObject({ parent: z.string(), id: z.number() }).optional(),
});
/** A published port as the Engine lists it: the host's `hostPort` leads to the container's `port`. */
const publishedPort = z.looseObject({
  port: z.number(),
  protocol: z.string(),
  hostPort: z.number(),
  hostIp: z.string().optional(),
});

export const checkDocument = z.looseObject({
  verdict: outcome,
  exitCode: z.number(),
  durationMs: z.number(),
  phases: z.looseObject({ discoverMs: z.number(), probeMs: z.number() }),
  counts: z.looseObject({ cells: z.number() }),
  roundTrips: z.looseObject({}),
  hosts: z.array(
    z.looseObject({
      host: z.string(),
      address: z.string(),
      engine: z.string().optional(),
      nics: z.array(checkNic).optional(),
      error: hostError.optional(),
    }),
  ),
  networks: z.array(z.looseObject({ host: z.string(), ...networkFields })).optional(),
  sources: z.array(
    z.looseObject({
      key: z.string(),
      host: z.string(),
      name: z.string(),
      image: z.string().optional(),
      unavailable: z.string().optional(),
      endpoints: z.array(endpoint),
      published: z.array(publishedPort).optional(),
      hostSource: z.boolean().optional(),
    }),
  ),
  targets: z.array(
    z.looseObject({
      key: z.string(),
      kind: z.enum(['container', 'gateway', 'host', 'name', 'address']),
      label: z.string(),
      address: z.string(),
      network: z.string().optional(),
      host: z.string().optional(),
      container: z.string().optional(),
    }),
  ),
  cells: z.array(
    z.looseObject({
      source: z.string(),
      target: z.string(),
      expect: z.enum(['reach', 'no-reach']),
      reason: z.string(),
      outcome,
      reached: z.boolean().optional(),
      address: z.string(),
      observed: z.string(),
      reproduce: z.string(),
      durationMs: z.number().optional(),
    }),
  ),
});

export type RunDocument = z.infer<typeof runDocument>;
export type SuiteDocument = z.infer<typeof suiteDocument>;
export type CheckDocument = z.infer<typeof checkDocument>;

export type ReportDocument =
  | { kind: 'run'; doc: RunDocument }
  | { kind: 'suite'; doc: SuiteDocument }
  | { kind: 'check'; doc: CheckDocument };

/** Which of lab's documents this is, by its shape; the problems of the closest one otherwise. */
export function identifyReport(
  value: unknown,
): ReportDocument | { kind: 'unknown'; problems: string[] } {
  const candidates = [
    ['check', checkDocument, 'cells'],
    ['suite', suiteDocument, 'summary'],
    ['run', runDocument, 'checks'],
  ] as const;
  for (const [kind, schema] of candidates) {
    const r = schema.safeParse(value);
    if (r.success) return { kind, doc: r.data } as ReportDocument;
  }
  // The problems of the document it most looks like: the one whose telltale key it has.
  const obj = typeof value === 'object' && value !== null ? value : {};
  const closest = candidates.find(([, , key]) => key in obj);
  if (!closest) {
    return {
      kind: 'unknown',
      problems: [
        'it has none of the keys checks (lab run), summary (lab run --all), cells (lab check connectivity)',
      ],
    };
  }
  const r = closest[1].safeParse(value);
  const problems = r.success
    ? []
    : r.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.length ? i.path.join('.') : '(top)'}: ${i.message}`);
  return { kind: 'unknown', problems };
}
