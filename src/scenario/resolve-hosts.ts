/** Host selectors in a scenario (`hosts:` at the top, on NICs and networks, a container's `host:`). */
import { listOrNone } from './suggest.js';
import { inInventoryOrder, isInventoryHost, selectHosts } from './hosts.js';
import type { YamlPath } from './positions.js';
import { fail, type ResolveContext } from './resolve-context.js';
import type { SourceSelectors } from './schema.js';

function entries(field: SourceSelectors, path: YamlPath): [string, YamlPath][] {
  return typeof field === 'string' ? [[field, path]] : field.map((s, i) => [s, [...path, i]]);
}

/**
 * The hosts a selector field names, in inventory order. With `within` (the scenario's hosts), a host
 * outside it is an error and a group is narrowed to it: `hosts: [all]` on a network means all of the
 * scenario's hosts, not every host of the inventory.
 */
export function resolveSelectors(
  ctx: ResolveContext,
  field: SourceSelectors,
  path: YamlPath,
  within?: string[],
): string[] {
  const chosen = new Set<string>();
  for (const [selector, at] of entries(field, path)) {
    const r = selectHosts(ctx.inventory, selector);
    if ('error' in r) throw fail(ctx, at, r.error, r.hint);
    let hosts = r.hosts;
    if (within) {
      const isHost = isInventoryHost(ctx.inventory, selector);
      hosts = hosts.filter((h) => within.includes(h));
      if (hosts.length === 0) {
        const what = isHost ? `"${selector}" is not one of` : `group "${selector}" has none of`;
        throw fail(ctx, at, `${what} this scenario's hosts (${listOrNone(within)})`);
      }
    }
    for (const h of hosts) chosen.add(h);
  }
  return inInventoryOrder(ctx.inventory, chosen);
}

/** The scenario's hosts: its `hosts:` field, else every host in the inventory. */
export function scenarioHosts(ctx: ResolveContext): string[] {
  if (ctx.source.hosts !== undefined) return resolveSelectors(ctx, ctx.source.hosts, ['hosts']);
  const all = ctx.inventory.hosts.map((h) => h.name);
  if (all.length === 0) throw fail(ctx, [], `the inventory ${ctx.inventory.file} has no hosts`);
  return all;
}

/** A container's `host:`: exactly one inventory host, one of the scenario's. */
export function containerHost(
  ctx: ResolveContext,
  name: string,
  path: YamlPath,
  within: string[],
): string {
  const r = selectHosts(ctx.inventory, name);
  if ('error' in r) throw fail(ctx, path, r.error, r.hint);
  if (!isInventoryHost(ctx.inventory, name)) {
    const hint = `name one host, e.g. one of: ${listOrNone(r.hosts)}`;
    throw fail(ctx, path, `"${name}" is a group; a container runs on one host`, hint);
  }
  if (!within.includes(name)) {
    throw fail(ctx, path, `"${name}" is not one of this scenario's hosts (${listOrNone(within)})`);
  }
  return name;
}
