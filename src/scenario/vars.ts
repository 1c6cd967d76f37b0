/**
 * Scenario variables: where each value comes from (scenario defaults < inventory [all:vars] < --var),
 * nested expansion with cycle detection, and substitution into every string of the scenario.
 */
import { LabError } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import { valueText } from '../inventory/value.js';
import { errorAt, type ScenarioDocument } from './document.js';
import * as f from './formats.js';
import { formatPath, type YamlPath } from './positions.js';
import { didYouMean, listOrNone } from './suggest.js';
import { isSyntaxError, parseTemplate, render } from './template.js';

export interface VarOrigin {
  /** "scenario vars", "inventory.ini [all:vars]", "--var": for messages. */
  label: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface VarDef {
  value: string;
  origin: VarOrigin;
}

export type VarDefs = Map<string, VarDef>;

export interface CliVarOptions {
  /** A --var the scenario does not define: an error (default), or ignored (`lab run --all`). */
  unknown?: 'error' | 'ignore';
}

/** Layer the three sources; a later layer replaces an earlier one's value for the same name. */
export function collectVars(
  doc: ScenarioDocument,
  inventory: Inventory,
  cliVars: Record<string, string>,
  options: CliVarOptions = {},
): VarDefs {
  const defs: VarDefs = new Map();
  for (const [name, value] of Object.entries(doc.source.vars ?? {})) {
    const at = doc.locator.locate(['vars', name], 'key');
    const origin = { label: 'the scenario vars', file: doc.file, ...at };
    defs.set(name, { value: String(value), origin });
  }
  const all = inventory.groups['all'];
  for (const [name, value] of Object.entries(all?.vars ?? {})) {
    // Ansible connection settings and other names that cannot appear in ${…} are not ours to check.
    if (f.varName.problem(name) !== undefined) continue;
    // Where the value was set: an [all:vars] line, or a group_vars/all file.
    const at = all?.varSources?.[name];
    const file = at?.file ?? inventory.file;
    const line = at?.line ?? all?.location?.line;
    const origin = {
      label: `${file} ${at && !/group_vars/.test(file) ? '[all:vars]' : '(variables of group all)'}`,
      file,
      ...(line ? { line } : {}),
    };
    defs.set(name, { value: valueText(value), origin });
  }
  for (const [name, value] of Object.entries(cliVars)) {
    const why = f.varName.problem(name);
    if (why !== undefined) {
      throw new LabError('input', `--var ${name}=…: ${f.formatMessage(f.varName, name, why)}`, {
        hint: 'write --var NAME=VALUE, e.g. --var mac_net1_subnet=198.19.1.0/24',
      });
    }
    // A --var nobody reads is a typo until shown otherwise: say which names there are.
    if (!defs.has(name) && !referenced(doc.source).has(name)) {
      if (options.unknown === 'ignore') continue;
      const known = [...new Set([...defs.keys(), ...referenced(doc.source)])].sort();
      throw new LabError(
        'input',
        `--var ${name}: the scenario ${doc.source.name} and the inventory's [all:vars] define no variable ${name}${didYouMean(name, known)}`,
        { hint: `variables you can set: ${listOrNone(known)}` },
      );
    }
    defs.set(name, { value, origin: { label: '--var' } });
  }
  return defs;
}

/** The variables a scenario defines or uses: what --var may set. */
export function scenarioVariables(source: ScenarioDocument['source']): string[] {
  return [...new Set([...Object.keys(source.vars ?? {}), ...referenced(source)])].sort();
}

/** Every `${name}` the scenario's strings use (a variable with no default is set by --var). */
function referenced(source: unknown): Set<string> {
  const names = new Set<string>();
  const stack: unknown[] = [source];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      const parts = parseTemplate(v);
      if (!isSyntaxError(parts)) for (const p of parts) if ('variable' in p) names.add(p.variable);
    } else if (v !== null && typeof v === 'object') stack.push(...Object.values(v));
  }
  return names;
}

function errorAtOrigin(origin: VarOrigin, message: string, hint?: string): LabError {
  const { file, line, column } = origin;
  return new LabError('input', message, {
    ...(file ? { file } : {}),
    ...(line ? { line } : {}),
    ...(column ? { column } : {}),
    ...(hint ? { hint } : {}),
  });
}

const definedHint = (defs: VarDefs) => `defined variables: ${listOrNone([...defs.keys()].sort())}`;

/**
 * Every variable's final value. A value may use other variables (`${a}/24`); a cycle is an error
 * naming the loop, and an unknown reference is an error at the place that value was defined.
 */
export function expandVars(defs: VarDefs): Map<string, string> {
  const done = new Map<string, string>();
  const expand = (name: string, chain: string[]): string => {
    const known = done.get(name);
    if (known !== undefined) return known;
    const def = defs.get(name);
    if (!def) throw new Error(`unreachable: ${name} is checked before expansion`);
    if (chain.includes(name)) {
      const loop = [...chain.slice(chain.indexOf(name)), name].join(' -> ');
      throw errorAtOrigin(def.origin, `variable ${name} refers to itself: ${loop}`);
    }
    const parts = parseTemplate(def.value);
    if (isSyntaxError(parts)) {
      throw errorAtOrigin(
        def.origin,
        `variable ${name} (from ${def.origin.label}): ${parts.message}`,
      );
    }
    const value = render(parts, (ref) => {
      if (!defs.has(ref)) {
        const message = `variable ${name} (from ${def.origin.label}) uses \${${ref}}, which is not defined`;
        throw errorAtOrigin(def.origin, message + didYouMean(ref, defs.keys()), definedHint(defs));
      }
      return expand(ref, [...chain, name]);
    });
    done.set(name, value);
    return value;
  };
  for (const name of defs.keys()) expand(name, []);
  return done;
}

export interface Substituted {
  /** The scenario data with every `${var}` replaced (same shape as the source). */
  data: unknown;
  /** For each string that held references (by JSON path): what was written, to explain later errors. */
  templates: Map<string, string>;
}

export const pathKey = (path: YamlPath): string => JSON.stringify(path);

/** Replace the variables in every string value of the scenario, except its literal `name`. */
export function substitute(
  doc: ScenarioDocument,
  defs: VarDefs,
  values: Map<string, string>,
): Substituted {
  const templates = new Map<string, string>();
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      const parts = parseTemplate(v);
      // The template schema has already refused malformed references.
      if (isSyntaxError(parts)) return v;
      if (parts.some((p) => 'variable' in p)) templates.set(pathKey(path), v);
      return render(parts, (ref) => {
        const value = values.get(ref);
        if (value !== undefined) return value;
        const text = `${formatPath(path)}: unknown variable \${${ref}}${didYouMean(ref, defs.keys())}`;
        throw errorAt(doc, path, text, {
          needle: `\${${ref}}`,
          hint: `${definedHint(defs)}; define it under vars: or pass --var ${ref}=VALUE`,
        });
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, [...path, k]);
      return out;
    }
    return v;
  };
  const { name, vars: _vars, ...rest } = doc.source;
  return { data: { name, ...(walk(rest, []) as object) }, templates };
}

/** "(written as "${x}/24"; x = "…" from --var)": appended to errors about a substituted value. */
export function explainTemplate(
  template: string,
  defs: VarDefs,
  values: Map<string, string>,
): string {
  const parts = parseTemplate(template);
  if (isSyntaxError(parts)) return '';
  const used = [...new Set(parts.flatMap((p) => ('variable' in p ? [p.variable] : [])))];
  const each = used.map(
    (n) => `${n} = ${JSON.stringify(values.get(n))} from ${defs.get(n)?.origin.label}`,
  );
  return `written as ${JSON.stringify(template)}, with ${each.join(', ')}`;
}
