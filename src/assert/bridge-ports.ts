/**
 * A bridge network's Linux bridge and its ports, as `brctl show` lists them (the seed's 二.5): read
 * with iproute2, which every host has (`ip -d -o link show`: each link's kind, and `master BR` on a
 * bridge's ports), and with `brctl show BR` as well when the host has brctl (RHEL 7 did; many hosts
 * today do not, and lab installs nothing). A container's veth is found by its peer: inside the
 * container, `ip -o link` shows `eth1@if13` beside the MAC Docker gave it on the network, and 13 is
 * the index of the veth's other end on the host.
 */
import type { NetworkInfo } from '../docker/docker-client.js';
import type { HostSession } from '../host/session.js';

/** One link of `ip -d -o link show`: index, name, peer index (`@ifN`), master, kind, MAC. */
export interface LinkLine {
  index: number;
  name: string;
  peerIndex?: number;
  master?: string;
  /** veth, bridge, macvlan… (from `-d`: the word after the link/ether line's fields). */
  kind?: string;
  mac?: string;
}

/** Words that open a -d field but name no link kind (a plain ethernet NIC has none). */
const NOT_KINDS = new Set(['addrgenmode', 'numtxqueues', 'alias', 'altname']);

/** Parses `ip [-d] -o link show` (iproute2 on hosts, busybox in containers: the same one-line form). */
export function parseLinkLines(output: string): LinkLine[] {
  const links: LinkLine[] = [];
  for (const line of output.split('\n')) {
    const m = /^(\d+):\s+([^:@\s]+)(?:@(?:if(\d+)|[^:\s]+))?:\s+<[^>]*>(.*)$/.exec(line);
    if (!m) continue;
    const rest = m[4] ?? '';
    const master = /\smaster\s+(\S+)/.exec(rest)?.[1];
    const mac = /link\/ether\s+([0-9a-f:]{17})/i.exec(rest)?.[1]?.toLowerCase();
    // With -d the kind opens the field after the link/ether one: "\    veth \    bridge_slave …",
    // "\    bridge forward_delay …"; a plain link goes on with addrgenmode and the like.
    const fields = rest.split('\\').map((f) => f.trim().split(/\s+/)[0] ?? '');
    const after = fields[fields.findIndex((f) => f.startsWith('link/')) + 1];
    const kind = after && /^[a-z_0-9]+$/.test(after) && !NOT_KINDS.has(after) ? after : undefined;
    links.push({
      index: Number(m[1]),
      name: m[2] as string,
      ...(m[3] !== undefined && { peerIndex: Number(m[3]) }),
      ...(master !== undefined && { master }),
      ...(kind !== undefined && { kind }),
      ...(mac !== undefined && { mac }),
    });
  }
  return links;
}

/**
 * Parses `brctl show [BR]`: a header, then per bridge one line "name id stp [iface]" and one more
 * line per further interface. Returns each bridge's interfaces.
 */
export function parseBrctlShow(output: string): Map<string, string[]> {
  const bridges = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const words = line.trim().split(/\s+/);
    if (/^\S/.test(line)) {
      current = words.length > 3 ? [words[3] as string] : [];
      bridges.set(words[0] as string, current);
    } else if (current && words[0]) current.push(words[0]);
  }
  return bridges;
}

/** A container's end on a network: its interface inside, and the host index of the veth's other end. */
export interface ContainerEnd {
  container: string;
  /** eth0, eth1… inside the container; absent when no interface had Docker's MAC. */
  iface?: string;
  peerIndex?: number;
  /** Why it could not be found. */
  problem?: string;
}

/** What the host and its Docker say about one bridge network's bridge. */
export interface BridgeView {
  bridge: string;
  network: string;
  /** The bridge's link, absent when the host has none of that name. */
  link?: LinkLine;
  /** The links whose master is the bridge. */
  ports: LinkLine[];
  /** Containers Docker lists on the network (on this host). */
  dockerCount: number;
  ends: ContainerEnd[];
  /** `brctl show BR`'s interfaces, when the host has brctl. */
  brctl?: string[];
}

/** What does not hold of the view: no bridge, a container's veth elsewhere, ports ≠ containers, brctl ≠ ip. */
export function bridgeMismatches(v: BridgeView): string[] {
  if (!v.link) return [`there is no interface ${v.bridge}`];
  const bad: string[] = [];
  if (v.link.kind !== undefined && v.link.kind !== 'bridge')
    bad.push(`${v.bridge} is a ${v.link.kind} link, not a Linux bridge`);
  for (const e of v.ends) {
    if (e.problem) {
      bad.push(e.problem);
      continue;
    }
    const port = v.ports.find((p) => p.index === e.peerIndex);
    if (!port)
      bad.push(
        `${e.container}'s ${e.iface} (host end: link ${e.peerIndex}) is not a port of ${v.bridge}`,
      );
    else if (port.kind !== undefined && port.kind !== 'veth')
      bad.push(`${e.container}'s port ${port.name} is a ${port.kind} link, not a veth`);
  }
  if (v.ports.length !== v.dockerCount)
    bad.push(
      `${v.bridge} has ${v.ports.length} port${v.ports.length === 1 ? '' : 's'}, and Docker lists ${v.dockerCount} container${v.dockerCount === 1 ? '' : 's'} on ${v.network}`,
    );
  if (v.brctl) {
    const byIp = v.ports.map((p) => p.name).sort();
    const byBrctl = [...v.brctl].sort();
    if (byIp.join(' ') !== byBrctl.join(' '))
      bad.push(
        `brctl show lists ${byBrctl.join(', ') || 'no interface'} on ${v.bridge}, ip lists ${byIp.join(', ') || 'none'}`,
      );
  }
  return bad;
}

/** The view in brctl's terms: "br-0c08e7c8a0a4 (bridge of my_net1): vethd7bc020 (vm1 eth0)". */
export function describeBridge(v: BridgeView): string {
  if (!v.link) return `no interface ${v.bridge}`;
  const owner = (p: LinkLine) => {
    const e = v.ends.find((x) => x.peerIndex === p.index);
    return e ? ` (${e.container} ${e.iface ?? ''})`.replace(' )', ')') : '';
  };
  const ports = v.ports.map((p) => `${p.name}${owner(p)}`).join(', ');
  const tool = v.brctl
    ? 'brctl show and ip link agree'
    : 'no brctl on the host; read with ip -d link';
  return `${v.bridge} (${v.link.kind ?? 'kind not shown'}, the bridge of ${v.network}): ${ports || 'no ports'}; ${tool}`;
}

/** The host end of each container's interface on the network, read inside the container. */
export async function containerEnds(
  session: HostSession,
  network: string,
  containers: readonly string[],
  timeoutMs: number,
): Promise<{ ends: ContainerEnd[]; outputs: string[] }> {
  const outputs = new Map<string, string>();
  const ends = await Promise.all(
    containers.map(async (container): Promise<ContainerEnd> => {
      const c = await session.docker.inspectContainer(container);
      const mac = c?.networks[network]?.mac?.toLowerCase();
      if (!mac)
        return {
          container,
          problem: `${container} has no interface on ${network} (docker inspect ${container})`,
        };
      const r = await session.docker.exec(container, ['ip', '-o', 'link'], { timeoutMs });
      if (r.exitCode !== 0)
        throw new Error(
          `docker exec ${container} ip -o link exited ${r.exitCode ?? 'without a code'}: ${r.stderr.trim()}`,
        );
      outputs.set(container, `# docker exec ${container} ip -o link\n${r.stdout.trim()}`);
      const link = parseLinkLines(r.stdout).find((l) => l.mac === mac);
      if (!link)
        return { container, problem: `no interface in ${container} has its ${network} MAC ${mac}` };
      if (link.peerIndex === undefined)
        return {
          container,
          iface: link.name,
          problem: `${container}'s ${link.name} is not one end of a veth pair`,
        };
      return { container, iface: link.name, peerIndex: link.peerIndex };
    }),
  );
  // In the order the containers are named, whichever answered first.
  return { ends, outputs: containers.flatMap((c) => outputs.get(c) ?? []) };
}

/** The bridge's ports read on the host (and by brctl when it is there), judged against `veths`. */
export async function readBridgePorts(
  session: HostSession,
  network: NetworkInfo,
  bridge: string,
  veths: readonly string[],
  timeoutMs: number,
): Promise<{ bad: string[]; evidence: string; command: string; output: string }> {
  const linkArgv = ['ip', '-d', '-o', 'link', 'show'];
  const brctlArgv = ['brctl', 'show', bridge];
  const [links, brctl, found] = await Promise.all([
    session.shell.exec(linkArgv, { timeoutMs }),
    session.shell.exec(brctlArgv, { timeoutMs }),
    containerEnds(session, network.name, veths, timeoutMs),
  ]);
  if (links.exitCode !== 0)
    throw new Error(
      `${linkArgv.join(' ')} exited ${links.exitCode ?? 'without a code'}: ${links.stderr.trim()}`,
    );
  // 127: the shell found no brctl (the host does not have it); anything else it answered counts.
  const hasBrctl = brctl.exitCode === 0;
  const all = parseLinkLines(links.stdout);
  const link = all.find((l) => l.name === bridge);
  const view: BridgeView = {
    bridge,
    network: network.name,
    ...(link && { link }),
    ports: all.filter((l) => l.master === bridge),
    dockerCount: network.containers.length,
    ends: found.ends,
    ...(hasBrctl && { brctl: parseBrctlShow(brctl.stdout).get(bridge) ?? [] }),
  };
  const shown = hasBrctl
    ? `# ${brctlArgv.join(' ')}\n${brctl.stdout.trim()}\n`
    : `# no brctl here; as brctl show would list it, from ip -d -o link show:\n${brctlLike(view)}\n`;
  const portLines = links.stdout
    .split('\n')
    .filter((l) => l.includes(` master ${bridge} `) || l.startsWith(`${view.link?.index ?? -1}:`));
  return {
    bad: bridgeMismatches(view),
    evidence: describeBridge(view),
    command: [
      ...(hasBrctl ? [brctlArgv.join(' ')] : []),
      `ip -d -o link show master ${bridge}`,
      ...veths.map((c) => `docker exec ${c} ip -o link`),
    ].join('; '),
    output: [
      shown + `# ip -d -o link show (${bridge} and its ports)\n${portLines.join('\n')}`,
      ...found.outputs,
    ].join('\n'),
  };
}

/** The bridge and its ports in brctl show's layout (name, then one interface per line). */
export function brctlLike(v: BridgeView): string {
  const names = v.ports.map((p) => p.name);
  const width = Math.max(v.bridge.length, 'bridge name'.length) + 2;
  const pad = (s: string) => s.padEnd(width);
  return [
    `${pad('bridge name')}interfaces`,
    `${pad(v.bridge)}${names[0] ?? ''}`.trimEnd(),
    ...names.slice(1).map((n) => `${pad('')}${n}`),
  ].join('\n');
}
