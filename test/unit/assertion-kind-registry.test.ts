/**
 * "A new assertion kind is one definition file and one registry line (plus its check half and its
 * line)": the toy kind in test/fixtures/toy-kind/ goes through the schema, resolution, planning and
 * the check by being added to copies of the registries, with no other code of lab touched.
 */
import { describe, expect, it } from 'vitest';
import { checkAssertion } from '../../src/assert/run.js';
import { KIND_CHECKS } from '../../src/assert/kinds/index.js';
import type { AssertContext } from '../../src/assert/context.js';
import { compileAssertions } from '../../src/plan/compile-assertions.js';
import type { HostPlan } from '../../src/plan/model.js';
import { KIND_DEFS } from '../../src/scenario/assert-kinds/index.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { resolveAssertion } from '../../src/scenario/resolve-assert.js';
import { assertionSchema, assertionSchemaOf } from '../../src/scenario/schema-assert.js';
import { schemaHelpers } from '../../src/scenario/schema-helpers.js';
import { testInventory } from '../fakes/plan-fixture.js';
import { uptime, uptimeCheck } from '../fixtures/toy-kind/uptime.js';

const defs = [...KIND_DEFS, uptime];
const schema = assertionSchemaOf(schemaHelpers('final'), defs);

function resolved(source: unknown) {
  const doc = parseScenario('name: toy\nhosts: [server1, server2]\n', 'toy.yaml');
  const ctx = {
    doc,
    inventory: testInventory(2),
    source: doc.source,
    vars: new Map<string, string>(),
  };
  const known = { hosts: ['server1', 'server2'], containers: [], networks: [] };
  const parsed = schema.parse(source) as Parameters<typeof resolveAssertion>[2];
  return resolveAssertion(ctx, known, parsed, 0, defs);
}

describe('a toy assertion kind added by one file and one registry line', () => {
  it('is known to the schema built from the registry, with its companions and no others', () => {
    const source = { uptime: 60, reason: 'the host did not just reboot' };
    expect(assertionSchema(schemaHelpers('final')).safeParse(source).success).toBe(false);
    expect(schema.safeParse(source).success).toBe(true);
    const wrong = schema.safeParse({ ...source, status: 200 });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues.map((i) => i.message)).toContain(
      'status does not go with uptime (with uptime: uptime, reason, seed, host)',
    );
    const two = schema.safeParse({ ...source, listening: { port: 80 } });
    expect(two.error?.issues.map((i) => i.message).join('\n')).toMatch(
      /give exactly one of fails, .*, not_resolves, uptime \(got listening and uptime\)/,
    );
  });

  it('is resolved, planned on each of its hosts, and checked by its own check half', async () => {
    const spec = resolved({ uptime: 60, host: 'server2', reason: 'up' });
    expect(spec).toMatchObject({ kind: 'uptime', hosts: ['server2'], seconds: 60, reason: 'up' });
    const everywhere = resolved({ uptime: 5, reason: 'up' });
    expect(everywhere).toMatchObject({ hosts: ['server1', 'server2'] });

    const scenario = {
      name: 'toy',
      containers: [],
      assertions: [everywhere],
    } as unknown as Scenario;
    const hosts = [
      { host: 'server1', steps: [{ id: 'server1/net' }] },
      { host: 'server2', steps: [] },
    ] as unknown as HostPlan[];
    const planned = compileAssertions(scenario, hosts, new Map(), defs);
    expect(planned).toEqual([
      {
        id: 'assert-1@server1',
        host: 'server1',
        reason: 'up',
        line: 1,
        dependsOn: ['server1/net'],
        kind: 'uptime',
        seconds: 5,
      },
      {
        id: 'assert-1@server2',
        host: 'server2',
        reason: 'up',
        line: 1,
        dependsOn: [],
        kind: 'uptime',
        seconds: 5,
      },
    ]);

    const ran: string[][] = [];
    const ctx = {
      now: () => 0,
      session: () => ({
        shell: {
          exec: async (argv: string[]) => {
            ran.push(argv);
            return { stdout: '123.45 67.8\n', stderr: '', code: 0 };
          },
        },
      }),
    } as unknown as AssertContext;
    const checks = { ...KIND_CHECKS, uptime: uptimeCheck };
    const result = await checkAssertion(planned[0] as never, ctx, checks as never);
    expect(ran).toEqual([['cat', '/proc/uptime']]);
    expect(result).toMatchObject({
      outcome: 'pass',
      claim: 'up for at least 5 s',
      evidence: 'up 123.45 s',
    });
  });
});
