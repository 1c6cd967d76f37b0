import {
  LAN_PREFIX_LENGTH,
  MACHINE_ADDRESS,
  assertHostCount,
  dockerAddressPlan,
  hostAddress,
  type DockerAddressPlan,
} from './address-plan.js';
import { BRIDGES, cgroupName, hostName, netnsName, rootPeerName } from './names.js';

/** One NIC of a host: a veth whose other end (rootPeer) is a port of a switch bridge. */
export interface InterfacePlan {
  name: string;
  rootPeer: string;
  bridge: string;
  /** With prefix length; absent for NICs the scenarios configure themselves. */
  address?: string;
  up: boolean;
  /** Why this NIC is not what its name says (eth0.1 is not an 802.1Q link here). */
  standIn?: string;
}

export interface HostPlan {
  index: number;
  name: string;
  netns: string;
  cgroup: string;
  address: string;
  interfaces: InterfacePlan[];
  docker: DockerAddressPlan;
}

export interface BridgePlan {
  name: string;
  /** The machine's own address on this switch, with prefix; only the LAN has one. */
  address?: string;
  purpose: string;
}

export interface BoxPlan {
  hosts: HostPlan[];
  bridges: BridgePlan[];
}

/** The kernel has no 802.1Q: a veth merely named eth0.1, on a bridge of its own, is "VLAN 1" instead. */
export const VLAN1_STAND_IN = 'stand-in veth on its own bridge, the kernel has no 802.1Q';

export function planBox(hostCount: number): BoxPlan {
  assertHostCount(hostCount);
  const hosts = Array.from({ length: hostCount }, (_, i) => planHost(i + 1));
  return {
    hosts,
    bridges: [
      {
        name: BRIDGES.lan,
        address: `${MACHINE_ADDRESS}/${LAN_PREFIX_LENGTH}`,
        purpose: 'eth0 LAN',
      },
      { name: BRIDGES.second, purpose: 'eth1, the second NIC' },
      { name: BRIDGES.vlan1, purpose: 'eth0.1, stand-in for VLAN 1' },
    ],
  };
}

export function planHost(index: number): HostPlan {
  const name = hostName(index);
  const address = hostAddress(index);
  return {
    index,
    name,
    netns: netnsName(name),
    cgroup: cgroupName(name),
    address,
    docker: dockerAddressPlan(index),
    interfaces: [
      {
        name: 'eth0',
        rootPeer: rootPeerName(index, 'eth0'),
        bridge: BRIDGES.lan,
        address: `${address}/${LAN_PREFIX_LENGTH}`,
        up: true,
      },
      // Down and without address, as on the seed's hosts: scenario 11 brings it up itself.
      { name: 'eth1', rootPeer: rootPeerName(index, 'eth1'), bridge: BRIDGES.second, up: false },
      {
        name: 'eth0.1',
        rootPeer: rootPeerName(index, 'eth0.1'),
        bridge: BRIDGES.vlan1,
        up: true,
        standIn: VLAN1_STAND_IN,
      },
    ],
  };
}
