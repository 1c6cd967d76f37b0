import { liesWithin } from '../../common/subnet.js';
import { LabError } from '../../common/errors.js';

/**
 * The box's address plan. Everything lives in 198.18.0.0/15 (RFC 2544, set aside for benchmarking),
 * so the box can never collide with or leak into a real network:
 *   198.18.0.0/24        the hosts' eth0 LAN: host i = 198.18.0.i, the machine = .254
 *   198.19.0.0/17        scenario subnets (see scenario-vars.ts)
 *   198.19.128.0/17      Docker's own pools: host i gets the /20 at 198.19.(128 + 16(i-1)).0
 */
export const BOX_RANGE = '198.18.0.0/15';
export const MIN_HOSTS = 1;
export const MAX_HOSTS = 8;
export const DEFAULT_HOSTS = 2;

export const LAN_PREFIX_LENGTH = 24;
export const MACHINE_ADDRESS = '198.18.0.254';

export interface DockerAddressPlan {
  /** docker0's address with prefix, e.g. 198.19.128.1/24. */
  bip: string;
  /** The pool user-defined networks are cut from, e.g. 198.19.128.0/20. */
  poolBase: string;
  poolSize: number;
}

export function assertHostCount(count: number): void {
  if (!Number.isInteger(count) || count < MIN_HOSTS || count > MAX_HOSTS) {
    throw new LabError('input', `a box has ${MIN_HOSTS} to ${MAX_HOSTS} hosts, not ${count}`, {
      hint: `--hosts ${DEFAULT_HOSTS}`,
    });
  }
}

export function hostAddress(index: number): string {
  assertHostCount(index);
  return `198.18.0.${index}`;
}

export function dockerAddressPlan(index: number): DockerAddressPlan {
  assertHostCount(index);
  const third = 128 + 16 * (index - 1);
  return { bip: `198.19.${third}.1/24`, poolBase: `198.19.${third}.0/20`, poolSize: 24 };
}

/** True when an address or CIDR lies entirely inside the box's range. */
export function inBoxRange(addressOrCidr: string): boolean {
  return liesWithin(addressOrCidr, BOX_RANGE);
}

/** A guard at the boundary where addresses are written into configs: a bug here must not leak. */
export function assertInBoxRange(addressOrCidr: string, what: string): void {
  if (!inBoxRange(addressOrCidr)) {
    throw new LabError('input', `${what} ${addressOrCidr} is outside the box's range ${BOX_RANGE}`);
  }
}
