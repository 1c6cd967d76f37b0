/** `resolves:` / `not_resolves:` a name does (not) resolve inside a container; `ping:` too. */
import * as f from '../formats.js';
import { defineKind, type PlanTools, type ResolveTools } from './kind.js';

interface Resolves {
  kind: 'resolves';
  from: string;
  name: string;
  /** True: must resolve; false: must not. */
  resolve: boolean;
  /** Also ping the name, and count a reply as part of the claim. */
  ping: boolean;
}

interface PlannedResolves {
  kind: 'resolves';
  container: string;
  name: string;
  resolve: boolean;
  ping: boolean;
  /** When the name is a container of the scenario: where to read its addresses. */
  target?: { container: string; host: string };
}

export const resolves = defineKind({
  kind: 'resolves',
  keys: ['resolves'],
  companions: ['from', 'ping'],
  required: ['from'],
  shape: (h) => ({ resolves: h.str(f.dockerName).optional(), ping: h.bool().optional() }),
  resolve: (a, t) => resolveName(t, a.from, a.resolves ?? '', 'resolves', a.ping === true),
  checkedOn,
  plan,
});

export const notResolves = defineKind({
  kind: 'resolves',
  keys: ['not_resolves'],
  companions: ['from'],
  required: ['from'],
  shape: (h) => ({ not_resolves: h.str(f.dockerName).optional() }),
  resolve: (a, t) => resolveName(t, a.from, a.not_resolves ?? '', 'not_resolves', false),
  checkedOn,
  plan,
});

function resolveName(
  t: ResolveTools,
  fromName: string | undefined,
  name: string,
  key: 'resolves' | 'not_resolves',
  ping: boolean,
): Resolves {
  const from = t.container(fromName ?? '', [...t.path, 'from']);
  if (name === from.name) {
    throw t.fail(
      [...t.path, key],
      `${from.name} looking up its own name proves nothing: every container knows its own hostname`,
    );
  }
  return { kind: 'resolves', from: from.name, name, resolve: key === 'resolves', ping };
}

function checkedOn(a: Resolves, t: PlanTools): string[] {
  return [t.hostOf(a.from) ?? ''];
}

function plan<B extends { dependsOn: string[] }>(
  a: Resolves,
  base: B,
  t: PlanTools,
): B & PlannedResolves {
  const targetHost = t.hostOf(a.name);
  return {
    ...base,
    // The name's container must be running too, wherever it is.
    dependsOn: [...new Set([...base.dependsOn, ...(targetHost ? t.stepsOf(targetHost) : [])])],
    kind: 'resolves',
    container: a.from,
    name: a.name,
    resolve: a.resolve,
    ping: a.ping,
    ...(targetHost !== undefined && { target: { container: a.name, host: targetHost } }),
  };
}
