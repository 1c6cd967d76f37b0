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
      ).then(() => unlimitIcmp(runner, ip, host.netns, host.name)),
    ),
  );
}

/**
 * The host sends its ICMP errors without the kernel's per-peer rate limit (1 a second after a burst
 * of 6): containers' resolver is the host itself, where none runs (dockerd-config.ts), and a check's
 * burst of lookups must each get the refusal that says "no such name here", not silence. The
 * setting belongs to the host's own network namespace.
 */
function unlimitIcmp(runner: Runner, ip: string, netns: string, host: string): Promise<unknown> {
  return runChecked(
    runner,
    [ip, 'netns', 'exec', netns, 'sh', '-c', 'echo 0 > /proc/sys/net/ipv4/icmp_ratelimit'],
    `lifting ${host}'s ICMP rate limit`,
    { host },
  );
}
