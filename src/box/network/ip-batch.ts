import { MACHINE_ADDRESS } from './address-plan.js';
import type { BoxPlan, HostPlan } from './topology.js';

/**
 * The box's network as `ip -batch` scripts: one `ip` process for the machine side and one per host
 * instead of dozens of `ip` invocations. Pure, so the exact commands are unit-tested.
 */

/** Machine side: switch bridges, namespaces, veth pairs with the host end moved into its namespace. */
export function machineBatch(plan: BoxPlan): string {
  const lines: string[] = [];
  for (const bridge of plan.bridges) {
    // No STP and no forwarding delay: a port forwards as soon as it is up, like an unmanaged switch.
    lines.push(`link add ${bridge.name} type bridge stp_state 0 forward_delay 0`);
    if (bridge.address) lines.push(`addr add ${bridge.address} dev ${bridge.name}`);
    lines.push(`link set ${bridge.name} up`);
  }
  for (const host of plan.hosts) {
    lines.push(`netns add ${host.netns}`);
    for (const nic of host.interfaces) {
      lines.push(`link add ${nic.rootPeer} type veth peer name ${nic.name} netns ${host.netns}`);
      // The switch port is always up; whether the host's NIC is up is the host's business.
      lines.push(`link set ${nic.rootPeer} master ${nic.bridge} up`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Inside one host (run with `ip -n NETNS -batch -`): loopback, addresses, links, default route. */
export function hostBatch(host: HostPlan): string {
  const lines = ['link set lo up'];
  for (const nic of host.interfaces) {
    if (nic.address) lines.push(`addr add ${nic.address} dev ${nic.name}`);
    if (nic.up) lines.push(`link set ${nic.name} up`);
  }
  lines.push(`route add default via ${MACHINE_ADDRESS} dev eth0`);
  return lines.join('\n') + '\n';
}
