import type { Inventory, InventoryHost } from '../inventory/model.js';
import type { SshTarget } from '../ssh/target.js';

/** How lab reaches an inventory host over SSH. */
export function sshTarget(host: InventoryHost): SshTarget {
  return {
    host: host.name,
    address: host.address,
    port: host.port,
    ...(host.user !== undefined && { user: host.user }),
    ...(host.privateKeyFile !== undefined && { privateKeyFile: host.privateKeyFile }),
    become: host.become,
    ...(host.knownHostsFile !== undefined && { knownHostsFile: host.knownHostsFile }),
    ...(host.dockerTransport !== undefined && { dockerTransport: host.dockerTransport }),
    ...(host.dockerSocket !== undefined && { dockerSocket: host.dockerSocket }),
  };
}

/** The targets of the named hosts, in inventory order; a name the inventory lacks names none. */
export function sshTargetsOf(inventory: Inventory, names: readonly string[]): SshTarget[] {
  return inventory.hosts.filter((h) => names.includes(h.name)).map(sshTarget);
}
