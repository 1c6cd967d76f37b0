/** An inventory after parsing: Ansible's INI semantics, with our typed connection settings. */
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
  /** All variables for this host, merged as Ansible does (all < parent groups < child groups < host). */
  vars: Record<string, string>;
  /** Where the host was first declared. */
  location: SourceLocation;
}

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly under [name]. */
  hosts: string[];
  /** Groups listed under [name:children]. */
  children: string[];
  /** Variables from [name:vars]. */
  vars: Record<string, string>;
  location?: SourceLocation;
}

export interface Inventory {
  /** The file it came from (absolute or as given). */
  file: string;
  /** In declaration order. */
  hosts: InventoryHost[];
  /** Includes the implicit 'all' and 'ungrouped'. */
  groups: Record<string, InventoryGroup>;
}
