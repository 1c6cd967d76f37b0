/** Where and how lab reaches a host over SSH: the inventory's connection settings for one host. */
export interface SshTarget {
  host: string;
  address: string;
  port: number;
  user?: string;
  privateKeyFile?: string;
  become: boolean;
  knownHostsFile?: string;
}
