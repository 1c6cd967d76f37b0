/**
 * Which of the source container's interfaces a probe leaves through. Binding (ping -I) makes the
 * probe take exactly the path the cell is about: a container on two networks cannot answer "reach"
 * through the other one.
 */
import { inSubnet } from './expectations.js';
import type { ProbeSpec } from './probe-script.js';

export interface SourceEndpoint {
  network: string;
  ipv4: string;
  prefixLength?: number;
  mac?: string;
}

/**
 * The endpoint on the target's network; else the one whose subnet holds the address; else the only
 * one. None when the container has several and none of them is on the way: its routes then decide,
 * as for any program in it.
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
  return endpoints.length === 1 ? endpoints[0] : undefined;
}

export function bindingOf(e: SourceEndpoint | undefined): Pick<ProbeSpec, 'bindMac' | 'bindIp'> {
  if (!e) return {};
  return { ...(e.mac && { bindMac: e.mac }), bindIp: e.ipv4 };
}
