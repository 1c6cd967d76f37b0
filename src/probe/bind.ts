/**
 * Which of the source container's interfaces a probe leaves through. Binding (ping -I) makes the
 * probe take exactly the path the cell is about: a container on two networks cannot answer "reach"
 * through the other one.
 */
import type { ContainerInfo } from '../docker/docker-client.js';
import { inSubnet } from '../common/subnet.js';
import type { ProbeSpec } from './probe-script.js';

export interface SourceEndpoint {
  network: string;
  ipv4: string;
  prefixLength?: number;
  mac?: string;
  /**
   * Docker gave this endpoint no gateway: the container's default route leaves by an interface
   * Docker does not list as a network of the container (an overlay network's containers go out
   * through docker_gwbridge).
   */
  noGateway?: true;
}

/** A container's addressed endpoints, as Docker reports them, by network name. */
export function endpointsOf(c: Pick<ContainerInfo, 'networks'>): SourceEndpoint[] {
  return Object.entries(c.networks)
    .filter(([, n]) => n.ipv4)
    .map(([network, n]) => ({
      network,
      ipv4: n.ipv4 ?? '',
      ...(n.prefixLength !== undefined && { prefixLength: n.prefixLength }),
      ...(n.mac !== undefined && { mac: n.mac }),
      ...(!n.gateway && { noGateway: true as const }),
    }))
    .sort((a, b) => a.network.localeCompare(b.network));
}

/**
 * The endpoint on the target's network; else the one whose subnet holds the address; else the only
 * one, if it is the container's way out. None when the container has several and none of them is on
 * the way, or its only one has no gateway (its way out is an interface Docker does not list): its
 * routes then decide, as for any program in it.
 */
export function chooseEndpoint(
  endpoints: readonly SourceEndpoint[],
  want: { network?: string; address?: string },
): SourceEndpoint | undefined {
  if (want.network !== undefined) {
    const on = endpoints.find((e) => e.network === want.network);
    if (on) return on;
  }
  if (want.address !== undefined) {
    const address = want.address;
    const holding = endpoints.find(
      (e) => e.prefixLength !== undefined && inSubnet(address, `${e.ipv4}/${e.prefixLength}`),
    );
    if (holding) return holding;
  }
  const only = endpoints.length === 1 ? endpoints[0] : undefined;
  return only?.noGateway ? undefined : only;
}

export function bindingOf(e: SourceEndpoint | undefined): Pick<ProbeSpec, 'bindMac' | 'bindIp'> {
  if (!e) return {};
  return { ...(e.mac && { bindMac: e.mac }), bindIp: e.ipv4 };
}
