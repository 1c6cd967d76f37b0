/**
 * Run-time facts assertions refer to: a network as its host's Docker reports it, the Linux bridge
 * behind a bridge network, a container's address on a network. Missing ones are errors saying so.
 */
import type { NetworkInfo } from '../docker/docker-client.js';
import { LabError } from '../common/errors.js';
import { hostAddress, parseSubnet } from '../common/subnet.js';
import type { StaticAddress } from '../scenario/model-assert.js';
import type { HostSession } from '../host/session.js';

export async function networkOn(session: HostSession, name: string): Promise<NetworkInfo> {
  const n = await session.docker.inspectNetwork(name);
  if (!n) {
    throw new LabError('remote', `network ${name} does not exist on ${session.host}`, {
      host: session.host,
      command: `docker network inspect ${name}`,
    });
  }
  return n;
}

export function requireSubnet(session: HostSession, n: NetworkInfo): string {
  if (n.subnet) return n.subnet;
  throw new LabError('remote', `network ${n.name} on ${session.host} has no IPv4 subnet`, {
    host: session.host,
  });
}

/** An `ip:` as an address: host numbers count in the network's subnet as Docker reports it. */
export async function addressOn(
  session: HostSession,
  network: string,
  a: StaticAddress,
): Promise<string> {
  if ('ipv4' in a) return a.ipv4;
  const subnet = requireSubnet(session, await networkOn(session, network));
  const address = hostAddress(parseSubnet(subnet), a.hostNumber);
  if (address === undefined) {
    throw new LabError(
      'input',
      `host number ${a.hostNumber} is outside ${network}'s subnet ${subnet} on ${session.host}`,
      { host: session.host },
    );
  }
  return address;
}

export async function containerAddress(
  session: HostSession,
  container: string,
  network: string,
): Promise<string> {
  const c = await session.docker.inspectContainer(container);
  const address = c?.networks[network]?.ipv4;
  if (!address) {
    throw new LabError(
      'remote',
      `${container} has no address on ${network} on ${session.host}${c ? '' : ' (no such container)'}`,
      { host: session.host, command: `docker inspect ${container}` },
    );
  }
  return address;
}
