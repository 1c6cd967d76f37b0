import {
  LAN_PREFIX_LENGTH,
  MACHINE_ADDRESS,
  assertHostCount,
  dockerAddressPlan,
  hostAddress,
  type DockerAddressPlan,
} from './address-plan.js';
import { LabError } from '../../common/errors.js';
import { BRIDGES, JUMP_LEG, cgroupName, hostName, netnsName, rootPeerName } from './names.js';

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
  /** The jump host this one sits behind: its eth0 is on the behind switch, not on the LAN. */
  behind?: string;
  /** Extra routes (`ip route add` arguments): a jump host's way to the hosts behind it. */
  routes?: string[];
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

/**
 * The box's hosts and switches. `behind` maps a host to the jump host it sits behind: its eth0 (and
 * so its sshd) moves to a switch the machine is not on, where the jump host gets a leg (mgmt0) with a
 * route to it. It keeps its LAN address, so the machine's own /24 route sends nothing out of the box:
 * the machine simply gets no answer there.
 */
export function planBox(hostCount: number, behind: Readonly<Record<string, string>> = {}): BoxPlan {
  assertHostCount(hostCount);
  const hosts = Array.from({ length: hostCount }, (_, i) => planHost(i + 1));
  checkBehind(hosts, behind);
  for (const [hidden, jump] of Object.entries(behind)) putBehind(hosts, hidden, jump);
  const bridges: BridgePlan[] = [
    {
      name: BRIDGES.lan,
      address: `${MACHINE_ADDRESS}/${LAN_PREFIX_LENGTH}`,
      purpose: 'eth0 LAN',
    },
    { name: BRIDGES.second, purpose: 'eth1, the second NIC' },
    { name: BRIDGES.vlan1, purpose: 'eth0.1, stand-in for VLAN 1' },
  ];
  if (Object.keys(behind).length > 0) {
    bridges.push({
      name: BRIDGES.behind,
      purpose:
        'eth0 of hosts behind a jump host, and the jump host’s mgmt0; the machine is not on it',
    });
  }
  return { hosts, bridges };
}

function checkBehind(hosts: readonly HostPlan[], behind: Readonly<Record<string, string>>): void {
  const names = hosts.map((h) => h.name);
  for (const [hidden, jump] of Object.entries(behind)) {
    const bad = [hidden, jump].find((n) => !names.includes(n));
    const problem = bad
      ? `${bad} is not one of the box's hosts (${names.join(', ')})`
      : hidden === jump
        ? `${hidden} cannot sit behind itself`
        : behind[jump] !== undefined
          ? `${jump} is itself behind ${behind[jump]}; a jump host must be reachable directly`
          : undefined;
    if (problem) {
      throw new LabError('input', `--behind ${hidden}=${jump}: ${problem}`, {
        hint: '--behind server3=server1 puts server3 behind server1',
      });
    }
  }
}

function putBehind(hosts: HostPlan[], hidden: string, jump: string): void {
  const target = hosts.find((h) => h.name === hidden);
  const via = hosts.find((h) => h.name === jump);
  if (!target || !via) return;
  target.behind = jump;
  const eth0 = target.interfaces.find((nic) => nic.name === 'eth0');
  if (eth0) eth0.bridge = BRIDGES.behind;
  if (!via.interfaces.some((nic) => nic.name === JUMP_LEG)) {
    via.interfaces.push({
      name: JUMP_LEG,
      rootPeer: rootPeerName(via.index, JUMP_LEG),
      bridge: BRIDGES.behind,
      up: true,
    });
  }
  via.routes = [...(via.routes ?? []), `${target.address}/32 dev ${JUMP_LEG} src ${via.address}`];
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
