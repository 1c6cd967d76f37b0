import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { hostBatch, machineBatch } from './ip-batch.js';
import { NETNS_DIR } from '../observe.js';
import { runChecked, type Runner } from '../system/runner.js';
import type { BoxPlan } from './topology.js';

export const netnsPath = (netns: string): string => join(NETNS_DIR, netns);

export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Creates switches, namespaces and veths (one `ip` for the machine), then configures hosts in parallel. */
export async function createNetwork(runner: Runner, ip: string, plan: BoxPlan): Promise<void> {
  await runChecked(
    runner,
    [ip, '-batch', '-'],
    'creating the box network (switches, namespaces, veths)',
    {
      input: machineBatch(plan),
    },
  );
  await Promise.all(
    plan.hosts.map((host) =>
      runChecked(
        runner,
        [ip, '-n', host.netns, '-batch', '-'],
        `configuring ${host.name}'s interfaces`,
        {
          input: hostBatch(host),
          host: host.name,
        },
      ),
    ),
  );
}
