/**
 * `interface:` — an interface on a host (or inside a container) and what it carries: its flags and an
 * address, read with `ip -o link show` and `ip -o -4 addr show` (iproute2 on hosts, busybox in
 * containers print the same one-line form).
 */
import { errorText } from '../common/errors.js';
import { contains, parseSubnet } from '../common/subnet.js';
import type { AddressRef } from '../scenario/model-assert.js';
import { parseLinks } from '../host/nic-state.js';
import type { HostSession } from '../host/session.js';
import { judged, type AssertContext } from './context.js';
import { parseAddresses, type InterfaceAddress } from './ip-addresses.js';
import { networkOn, requireSubnet } from './lookup.js';
import { bridgeName } from '../docker/bridge.js';
import { readBridgePorts } from './bridge-ports.js';
import type { AssertionResult, PlannedAssertion } from '../plan/assertion-model.js';

type InterfaceAssertion = Extract<PlannedAssertion, { kind: 'interface' }>;

/** An address the interface must carry, with run-time references resolved. */
export type AddressClaim =
  { address: string; prefixLength?: number; label: string } | { within: string; label: string };

export interface InterfaceState {
  exists: boolean;
  up?: boolean;
  promisc?: boolean;
  addresses: InterfaceAddress[];
}

export function readInterfaceState(name: string, linkOut: string, addrOut: string): InterfaceState {
  const link = parseLinks(linkOut).get(name);
  if (!link) return { exists: false, addresses: [] };
  return {
    exists: true,
    up: link.up,
    promisc: link.promisc,
    addresses: parseAddresses(addrOut).filter((a) => a.interface === name),
  };
}

export function interfaceMismatches(
  name: string,
  state: InterfaceState,
  want: { up?: boolean; promisc?: boolean; address?: AddressClaim },
): string[] {
  if (!state.exists) return [`there is no interface ${name}`];
  const bad: string[] = [];
  if (want.up !== undefined && state.up !== want.up) bad.push(want.up ? 'it is DOWN' : 'it is UP');
  if (want.promisc !== undefined && state.promisc !== want.promisc)
    bad.push(want.promisc ? 'it is not in promiscuous mode' : 'it is in promiscuous mode');
  const a = want.address;
  if (a) {
    const ok = state.addresses.some((x) =>
      'within' in a
        ? contains(parseSubnet(a.within), x.address)
        : x.address === a.address &&
          (a.prefixLength === undefined || x.prefixLength === a.prefixLength),
    );
    if (!ok) bad.push(`it does not carry ${a.label}`);
  }
  return bad;
}

export function describeState(name: string, s: InterfaceState): string {
  if (!s.exists) return `no interface ${name}`;
  const flags = [s.up ? 'UP' : 'DOWN', ...(s.promisc ? ['PROMISC'] : [])].join(',');
  const addrs = s.addresses.map((a) => `inet ${a.address}/${a.prefixLength}`).join(', ');
  return `${name}: ${flags}${addrs ? `, ${addrs}` : ', no IPv4 address'}`;
}

async function addressClaim(session: HostSession, ref: AddressRef): Promise<AddressClaim> {
  if (ref.kind === 'literal') {
    const text = `${ref.address}${ref.prefixLength !== undefined ? `/${ref.prefixLength}` : ''}`;
    return {
      address: ref.address,
      ...(ref.prefixLength !== undefined && { prefixLength: ref.prefixLength }),
      label: text,
    };
  }
  const n = await networkOn(session, ref.network);
  const subnet = requireSubnet(session, n);
  if (ref.kind === 'in')
    return { within: subnet, label: `an address in ${ref.network} (${subnet})` };
  const prefixLength = Number(subnet.split('/')[1]);
  if (!n.gateway)
    return { address: '', label: `the gateway of ${ref.network} (Docker reports none)` };
  return {
    address: n.gateway,
    prefixLength,
    label: `the gateway of ${ref.network}, ${n.gateway}/${prefixLength}`,
  };
}

export async function checkInterface(
  a: InterfaceAssertion,
  ctx: AssertContext,
): Promise<AssertionResult> {
  const started = ctx.now();
  const where = a.container ? `in ${a.container} on ${a.host}` : `on ${a.host}`;
  let claim = `${'name' in a.interface ? a.interface.name : `the bridge of ${a.interface.bridgeOf}`} ${where}`;
  let command = '';
  try {
    const session = ctx.session(a.host);
    const network =
      'name' in a.interface ? undefined : await networkOn(session, a.interface.bridgeOf);
    const name = network ? bridgeName(network) : (a.interface as { name: string }).name;
    const address = a.has.address ? await addressClaim(session, a.has.address) : undefined;
    const wants = [
      ...(a.has.up !== undefined ? [a.has.up ? 'is UP' : 'is DOWN'] : []),
      ...(a.has.promisc !== undefined
        ? [a.has.promisc ? 'is promiscuous' : 'is not promiscuous']
        : []),
      ...(address ? [`carries ${address.label}`] : []),
      ...(a.has.veths ? [vethsWords(a.has.veths)] : []),
    ];
    claim = `${network ? `${name}, the bridge of ${network.name},` : name} ${where} ${wants.join(' and ') || 'exists'}`;
    const read = await readLinkAndAddress(session, a.container, name, ctx.options.timeoutMs);
    command = read.command;
    const state = readInterfaceState(name, read.link, read.addr);
    // Podman's bridge of a network no container has joined yet does not exist: that is how it differs.
    const notYet = network !== undefined && !state.exists && !a.container;
    const difference = notYet ? session.docker.engine.bridgeWhenUsed : undefined;
    const bad = interfaceMismatches(name, state, {
      ...(a.has.up !== undefined && { up: a.has.up }),
      ...(a.has.promisc !== undefined && { promisc: a.has.promisc }),
      ...(address && { address }),
    });
    let evidence = describeState(name, state);
    let output = `${read.link}${read.addr}`.trim();
    if (network && a.has.veths && state.exists) {
      const ports = await readBridgePorts(
        session,
        network,
        name,
        a.has.veths,
        ctx.options.timeoutMs,
      );
      bad.push(...ports.bad);
      evidence = `${evidence}; ${ports.evidence}`;
      command = `${command}; ${ports.command}`;
      output = `${output}\n${ports.output}`;
    }
    const outcome = bad.length === 0 ? 'pass' : difference ? 'differs' : 'fail';
    return judged(ctx, a, started, outcome, {
      claim,
      evidence: `${bad.length > 0 ? `${bad.join('; ')}: ` : ''}${evidence}`,
      command,
      output,
      difference,
    });
  } catch (err) {
    return judged(ctx, a, started, 'error', { claim, evidence: errorText(err), command });
  }
}

/** "has the veths of vm2 and vm3 as its ports (brctl show)". */
export function vethsWords(veths: readonly string[]): string {
  if (veths.length === 0) return 'has no port but the containers Docker lists (brctl show)';
  const list =
    veths.length === 1 ? veths[0] : `${veths.slice(0, -1).join(', ')} and ${veths.at(-1)}`;
  return `has the veth${veths.length === 1 ? '' : 's'} of ${list} as its ports (brctl show)`;
}

/** `ip -o link show NAME` and `ip -o -4 addr show NAME`, on the host or inside a container. */
async function readLinkAndAddress(
  session: HostSession,
  container: string | undefined,
  name: string,
  timeoutMs: number,
): Promise<{ link: string; addr: string; command: string }> {
  const linkArgv = ['ip', '-o', 'link', 'show', name];
  const addrArgv = ['ip', '-o', '-4', 'addr', 'show', name];
  const prefix = container ? `docker exec ${container} ` : '';
  const command = `${prefix}${linkArgv.join(' ')}; ${prefix}${addrArgv.join(' ')}`;
  const [link, addr] = container
    ? await Promise.all([
        session.docker.exec(container, linkArgv, { timeoutMs }),
        session.docker.exec(container, addrArgv, { timeoutMs }),
      ])
    : await Promise.all([
        session.shell.exec(linkArgv, { timeoutMs }),
        session.shell.exec(addrArgv, { timeoutMs }),
      ]);
  // 1 or 2 is ip's "no such device"; a missing ip, a timeout or a cut connection is no answer.
  for (const r of [link, addr]) {
    if (r.exitCode === null || r.exitCode >= 126)
      throw new Error(
        `${command} could not run (exit ${r.exitCode ?? 'none'}): ${r.stderr.trim()}`,
      );
  }
  return { link: link.stdout, addr: addr.stdout, command };
}
