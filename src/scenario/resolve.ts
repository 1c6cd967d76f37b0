/**
 * From a loaded document to a concrete Scenario: variables, the 'final' schema on the substituted
 * values, host selectors → inventory hosts, host numbers → addresses, defaults, then the semantic
 * checks. Pure: it reads nothing and touches no host.
 */
import type { Inventory } from '../inventory/model.js';
import type { ScenarioDocument } from './document.js';
import { errorAt } from './document.js';
import { issuesToProblems } from './issues.js';
import { ScenarioProblems, locateProblems } from './problems.js';
import type { NicSpec, Scenario } from './model.js';
import { type ResolveContext } from './resolve-context.js';
import { resolveContainer } from './resolve-container.js';
import { resolveAssertion } from './resolve-assert.js';
import { resolveExpectation } from './resolve-expect.js';
import { resolveSelectors, scenarioHosts } from './resolve-hosts.js';
import { resolveNetwork } from './resolve-network.js';
import { resolveSwarm } from './resolve-swarm.js';
import { scenarioSchema, type ScenarioSource } from './schema.js';
import { checkNames, checkScenario } from './semantic.js';
import {
  collectVars,
  expandVars,
  explainTemplate,
  pathKey,
  substitute,
  type CliVarOptions,
  type VarDefs,
} from './vars.js';

const finalSchema = scenarioSchema('final');

/** Check the substituted data; an error on a substituted value says how it was written. */
function validateFinal(
  doc: ScenarioDocument,
  data: unknown,
  templates: Map<string, string>,
  defs: VarDefs,
  values: Map<string, string>,
): ScenarioSource {
  const parsed = finalSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = issuesToProblems(parsed.error.issues, finalSchema, data);
  // An error on a substituted value says how it was written and where its variables came from.
  const located = locateProblems(problems, doc.file, doc.locator, (p) => {
    const template = templates.get(pathKey(p.path));
    return template === undefined ? p.hint : explainTemplate(template, defs, values);
  });
  if (located.length === 0)
    throw errorAt(
      doc,
      [],
      'the scenario does not match the expected shape after substituting variables',
    );
  throw new ScenarioProblems(located);
}

/**
 * Resolve a loaded scenario against an inventory. Variables: the scenario's `vars` < the inventory's
 * [all:vars] < `cliVars` (--var). Every error is a LabError of kind 'input' with file:line:column.
 */
export function resolveScenario(
  doc: ScenarioDocument,
  inventory: Inventory,
  cliVars: Record<string, string>,
  options: CliVarOptions = {},
): Scenario {
  const defs = collectVars(doc, inventory, cliVars, options);
  const vars = expandVars(defs);
  const { data, templates } = substitute(doc, defs, vars);
  const source = validateFinal(doc, data, templates, defs, vars);
  const ctx: ResolveContext = { doc, inventory, source, vars };

  checkNames(ctx);
  const hosts = scenarioHosts(ctx);
  const nics = (source.nics ?? []).map((n, i): NicSpec => {
    const spec: NicSpec = {
      hosts:
        n.hosts === undefined ? hosts : resolveSelectors(ctx, n.hosts, ['nics', i, 'hosts'], hosts),
      interface: n.interface,
    };
    if (n.promisc !== undefined) spec.promisc = n.promisc;
    if (n.up !== undefined) spec.up = n.up;
    if (n.vlan !== undefined) spec.vlan = { parent: n.vlan.parent, id: n.vlan.id };
    return spec;
  });
  const networks = (source.networks ?? []).map((n, i) => resolveNetwork(ctx, n, i, hosts));
  const containers = (source.containers ?? []).map((c, i) =>
    resolveContainer(ctx, c, i, hosts, networks),
  );
  const known = { containers, networks };
  const expectations = (source.expect ?? []).map((e, i) => resolveExpectation(ctx, known, e, i));
  const swarm = resolveSwarm(ctx, hosts);
  const assertions = (source.assert ?? []).map((a, i) =>
    resolveAssertion(ctx, { hosts, containers, networks }, a, i),
  );

  const scenario: Scenario = {
    name: source.name,
    description: (source.description ?? '').trim(),
    file: doc.file,
    hosts,
    vars: Object.fromEntries(vars),
    nics,
    networks,
    containers,
    expectations,
    ...(assertions.length > 0 && { assertions }),
    ...(swarm && { swarm }),
  };
  checkScenario(ctx, scenario);
  return scenario;
}
