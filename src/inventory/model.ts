/**
 * An inventory after reading: Ansible's hosts, groups and variables (as `ansible-inventory --list`
 * gives them), with our typed connection settings. Every Record here is built without a prototype,
 * so that a variable or group named `constructor` is only that: test keys with `Object.hasOwn` or
 * `in`, not `.hasOwnProperty`.
 */
import type { InventoryValue } from './value.js';
export type { InventoryValue } from './value.js';

export interface SourceLocation {
  file: string;
  /** Absent for a whole file (an empty group_vars file, a directory). */
  line?: number;
}

/** A variable's value with where it was set (while reading; the final model splits the two). */
export interface Located {
  value: InventoryValue;
  at: SourceLocation;
}

export interface InventoryHost {
  /** The inventory name (server1). */
  name: string;
  /** Where to connect: ansible_host, else the name. */
  address: string;
  /** ansible_port, else 22. */
  port: number;
  /** ansible_user, else undefined (the SSH client's default: the local user). */
  user?: string;
  /** ansible_ssh_private_key_file, with a leading `~` expanded as Ansible does. */
  privateKeyFile?: string;
  /** ansible_become: run privileged commands through `sudo -n` when the user is not root. */
  become: boolean;
  /** lab_known_hosts: a known_hosts file for this host instead of the user's (`~` expanded). */
  knownHostsFile?: string;
  /** lab_docker_transport: forward, dial-stdio or auto (unset: auto). */
  dockerTransport?: 'forward' | 'dial-stdio' | 'auto';
  /** lab_docker_socket: the Engine API socket on the host, when not /var/run/docker.sock. */
  dockerSocket?: string;
  /** Every group the host belongs to, transitively, 'all' included, lowest precedence first. */
  groups: string[];
  /**
   * All variables for this host, merged as Ansible merges them (docs/inventory.md): what
   * `ansible-inventory --list` shows in `_meta.hostvars`, connection settings included.
   */
  vars: Record<string, InventoryValue>;
  /** Where each of `vars` was set (the winning place). */
  varSources?: Record<string, SourceLocation>;
  /** Where the host was first declared. */
  location: SourceLocation;
  /** The host's own variables (host lines, host_vars files), before groups are merged in. */
  hostVars?: Record<string, InventoryValue>;
}

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly in the group. */
  hosts: string[];
  /** Child groups. */
  children: string[];
  /** The group's variables: inline ones, then group_vars files over them (ansible_group_priority not). */
  vars: Record<string, InventoryValue>;
  /** Where each of `vars` was set. */
  varSources?: Record<string, SourceLocation>;
  /** Where the group first appeared; absent for the implicit 'all' and 'ungrouped'. */
  location?: SourceLocation;
  /** Longest path of children from 'all' (all 0, top-level groups 1): deeper groups' vars win. */
  depth?: number;
  /** ansible_group_priority (default 1): breaks ties between groups of the same depth, higher wins. */
  priority?: number;
}

export interface Inventory {
  /** The sources as given (`-i` values), joined by ", ": for messages. */
  file: string;
  /** Every `-i` source, in order. */
  sources?: string[];
  /** In declaration order. */
  hosts: InventoryHost[];
  /**
   * Includes the implicit 'all' and 'ungrouped', in the order groups first appear. 'ungrouped' lists
   * the hosts that belong to no other group; 'all' lists, as children, every top-level group.
   */
  groups: Record<string, InventoryGroup>;
}
