import { assertInBoxRange, type DockerAddressPlan } from '../network/address-plan.js';
import { IN_HOST } from '../layout.js';

export interface DockerdConfigInput {
  dataRoot: string;
  identityKey: string;
  cgroupParent: string;
  addresses: DockerAddressPlan;
  /** docker-proxy of the same release, for a dockerd that is not the machine's (--engine). */
  userlandProxyPath?: string;
}

/** What a dockerd of another release than the machine's does not accept or needs in daemon.json. */
export interface DockerdConfigVariant {
  /** dockerd 20.10 takes its ID from a key file; 23 and later keep one in the data root instead. */
  identityKey: boolean;
}

/**
 * One host's daemon.json (given with --config-file, so /etc/docker/daemon.json of the machine is never
 * read). Socket, pidfile and exec root are the standard paths inside the host's own /run.
 */
export function renderDockerdConfig(
  input: DockerdConfigInput,
  variant: DockerdConfigVariant = { identityKey: true },
): string {
  assertInBoxRange(input.addresses.bip, 'docker0 address');
  assertInBoxRange(input.addresses.poolBase, 'Docker address pool');
  const config = {
    hosts: [`unix://${IN_HOST.dockerSocket}`],
    pidfile: IN_HOST.dockerPidFile,
    'exec-root': IN_HOST.dockerExecRoot,
    'data-root': input.dataRoot,
    // dockerd 20.10 takes its ID from this key; each host needs its own or all report the same ID.
    // Later releases refuse the option (they keep an engine-id file in the data root).
    ...(variant.identityKey && { 'deprecated-key-path': input.identityKey }),
    ...(input.userlandProxyPath !== undefined && {
      'userland-proxy-path': input.userlandProxyPath,
    }),
    bip: input.addresses.bip,
    'default-address-pools': [{ base: input.addresses.poolBase, size: input.addresses.poolSize }],
    // Containers' cgroups under one per-host parent: that is how `down` finds every last one of them.
    'cgroup-parent': `/${input.cgroupParent}`,
    // Containers' (and the embedded DNS's upstream) resolver: docker0's address, in the host itself,
    // where no name server runs, so the host refuses at once (ICMP "port unreachable"). Without it
    // they would ask the machine's own nameserver, outside the box's range. Not the machine's side of
    // the switch: the machine rate-limits the refusals it sends to one host (net.ipv4.icmp_ratelimit,
    // every container NATed behind the host's address), and a check's burst of lookups from the
    // default bridge then got no answer at all; the host's own limit is off (network.ts).
    dns: [input.addresses.bip.split('/')[0] ?? ''],
    // A single-label name the embedded DNS does not know gets its empty answer at once instead of
    // being forwarded upstream (Docker's rule for an explicit ndots above 0). Upstream is out of
    // reach from a macvlan container here (its gateway is nobody's), and Docker 20.10 sends no
    // answer at all when every upstream fails: without this, every lookup of another network's or
    // another host's container name would wait out the resolver's timeout. Real hosts' upstream
    // servers answer NXDOMAIN; this is the box's stand-in for them.
    'dns-opts': ['ndots:1'],
  };
  return JSON.stringify(config, null, 2) + '\n';
}
