/**
 * An inventory after parsing: Ansible's INI semantics, with our typed connection settings.
 * The parser builds every Record here without a prototype, so that a variable or group named
 * `constructor` is only that: test keys with `Object.hasOwn` or `in`, not `.hasOwnProperty`.
 */
export interface SourceLocation {
  file: string;
  line: number;
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
  /** ansible_ssh_private_key_file (with ~ expanded by the CLI edge, not here). */
  privateKeyFile?: string;
  /** ansible_become: run privileged commands through `sudo -n` when the user is not root. */
  become: boolean;
  /** lab_known_hosts: a known_hosts file for this host instead of the user's. */
  knownHostsFile?: string;
  /** Every group the host belongs to, transitively through :children, 'all' included. */
  groups: string[];
  /**
   * All variables for this host, merged as Ansible does (all < parent groups < child groups < host),
   * without the connection settings above (ansible_host, ansible_port, ansible_user,
   * ansible_ssh_private_key_file, ansible_become, lab_known_hosts and their ansible_ssh_* aliases).
   */
  vars: Record<string, string>;
  /** Where the host was first declared. */
  location: SourceLocation;
  /**
   * The variables written on the host's own lines, as written (connection settings included; a
   * `name:port` pattern counts as ansible_port). Set by the parser; optional so hand-made fakes stay small.
   */
  hostVars?: Record<string, string>;
}

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly under [name]. */
  hosts: string[];
  /** Groups listed under [name:children]. */
  children: string[];
  /** Variables from [name:vars], as written (connection settings included, ansible_group_priority not). */
  vars: Record<string, string>;
  /** The line each of `vars` was set on (the last one, when set twice). Set by the parser. */
  varLines?: Record<string, number>;
  /** The first section header naming the group; absent for the implicit 'all' and 'ungrouped'. */
  location?: SourceLocation;
  /** Longest :children path from 'all' (all 0, top-level groups 1): deeper groups' vars win. Set by the parser. */
  depth?: number;
  /** ansible_group_priority (default 1): breaks ties between groups of the same depth, higher wins. */
  priority?: number;
}

export interface Inventory {
  /** The file it came from (absolute or as given). */
  file: string;
  /** In declaration order. */
  hosts: InventoryHost[];
  /**
   * Includes the implicit 'all' and 'ungrouped', in the order groups first appear. 'ungrouped' lists
   * the hosts that belong to no other group; 'all' lists, as children, every top-level group.
   */
  groups: Record<string, InventoryGroup>;
}
