/** `swarm:` → the manager (default: the first of the scenario's hosts) and the workers. */
import { isInventoryHost, selectHosts } from './hosts.js';
import type { SwarmSpec } from './model-assert.js';
import { fail, type ResolveContext } from './resolve-context.js';
import { listOrNone } from './suggest.js';

export function resolveSwarm(ctx: ResolveContext, hosts: string[]): SwarmSpec | undefined {
  const s = ctx.source.swarm;
  if (s === undefined) return undefined;
  let manager = hosts[0];
  if (s.manager !== undefined) {
    const at = ['swarm', 'manager'];
    const r = selectHosts(ctx.inventory, s.manager);
    if ('error' in r) throw fail(ctx, at, r.error, r.hint);
    if (!isInventoryHost(ctx.inventory, s.manager) || !hosts.includes(s.manager)) {
      throw fail(
        ctx,
        at,
        `the manager is one of this scenario's hosts, not "${s.manager}"`,
        `one of: ${listOrNone(hosts)}`,
      );
    }
    manager = s.manager;
  }
  if (manager === undefined) throw fail(ctx, ['swarm'], 'a swarm needs at least one host');
  return {
    manager,
    workers: hosts.filter((h) => h !== manager),
    ...(s.address_pool !== undefined && { addressPool: s.address_pool }),
    ...(s.pool_size !== undefined && { poolSize: s.pool_size }),
  };
}
