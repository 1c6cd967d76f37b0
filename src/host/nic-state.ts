import { requireSuccess } from '../ssh/checked.js';
import type { HostSession } from './session.js';

/** How a NIC should be: what a plan's nic step asks of it. */
export interface NicSettings {
  interface: string;
  promisc?: boolean;
  up?: boolean;
  vlan?: { parent: string; id: number };
}

/** What lab needs to know of one interface on a host, read from `ip -o link show`. */
export interface LinkState {
  name: string;
  up: boolean;
  promisc: boolean;
}

/**
 * Parses `ip -o link show` (one line per link, iproute2 of any age, RHEL 7's included):
 *   `4: eth0@if5: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 …`
 * The administrative UP flag is what `ip link set X up` sets; LOWER_UP (carrier) is not ours to change.
 */
export function parseLinks(output: string): Map<string, LinkState> {
  const links = new Map<string, LinkState>();
  for (const line of output.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)(?:@[^:\s]+)?:\s+<([^>]*)>/.exec(line);
    if (!m) continue;
    const name = m[1] as string;
    const flags = new Set((m[2] as string).split(','));
    links.set(name, { name, up: flags.has('UP'), promisc: flags.has('PROMISC') });
  }
  return links;
}

/** Reads a host's links with one command. */
export async function readLinks(session: HostSession): Promise<Map<string, LinkState>> {
  const argv = ['ip', '-o', 'link', 'show'];
  const r = await session.shell.exec(argv);
  requireSuccess(
    session.host,
    argv.join(' '),
    r,
    `could not list network interfaces on ${session.host}`,
  );
  return parseLinks(r.stdout);
}

/** A NIC's state before lab first changed it, kept on the host so `lab down` can put it back. */
export interface SavedNicState {
  interface: string;
  /** False when lab created the interface (a VLAN sub-interface): `down` deletes it. */
  existed: boolean;
  up: boolean;
  promisc: boolean;
}

export function encodeSavedNic(s: SavedNicState): string {
  return `existed=${s.existed ? 1 : 0},up=${s.up ? 1 : 0},promisc=${s.promisc ? 1 : 0}`;
}

export function decodeSavedNic(name: string, value: string): SavedNicState | undefined {
  const fields = new Map(value.split(',').map((kv) => kv.split('=') as [string, string]));
  const flag = (k: string) => fields.get(k);
  if (![flag('existed'), flag('up'), flag('promisc')].every((v) => v === '0' || v === '1'))
    return undefined;
  return {
    interface: name,
    existed: flag('existed') === '1',
    up: flag('up') === '1',
    promisc: flag('promisc') === '1',
  };
}

/** The `ip` commands that bring a link from its current state to what the step asks; empty when it already matches. */
export function nicCommands(step: NicSettings, current: LinkState | undefined): string[][] {
  const cmds: string[][] = [];
  if (!current && step.vlan) {
    cmds.push([
      'ip',
      'link',
      'add',
      'link',
      step.vlan.parent,
      'name',
      step.interface,
      'type',
      'vlan',
      'id',
      String(step.vlan.id),
    ]);
  }
  const up = current?.up ?? false;
  const promisc = current?.promisc ?? false;
  if (step.up !== undefined && step.up !== up)
    cmds.push(['ip', 'link', 'set', step.interface, step.up ? 'up' : 'down']);
  if (step.promisc !== undefined && step.promisc !== promisc) {
    cmds.push(['ip', 'link', 'set', step.interface, 'promisc', step.promisc ? 'on' : 'off']);
  }
  return cmds;
}

/** The commands that put a NIC back as it was before lab; empty when it already is. */
export function restoreCommands(saved: SavedNicState, current: LinkState | undefined): string[][] {
  if (!current) return [];
  if (!saved.existed) return [['ip', 'link', 'delete', saved.interface]];
  const cmds: string[][] = [];
  if (saved.promisc !== current.promisc)
    cmds.push(['ip', 'link', 'set', saved.interface, 'promisc', saved.promisc ? 'on' : 'off']);
  if (saved.up !== current.up)
    cmds.push(['ip', 'link', 'set', saved.interface, saved.up ? 'up' : 'down']);
  return cmds;
}

/**
 * Where a host keeps the NIC states lab saved for a scenario: a small file readable without Docker,
 * so `lab down` restores the NICs even when the engine is dead. Under /run on purpose: a reboot
 * resets the flags and empties /run together.
 */
export const NIC_STATE_DIR = '/run/lab';

export function nicStateFile(scenario: string): string {
  return `${NIC_STATE_DIR}/${scenario}.nics`;
}

/** The file's line for one NIC: `eth0 existed=1,up=1,promisc=0`. */
export function nicStateLine(s: SavedNicState): string {
  return `${s.interface} ${encodeSavedNic(s)}`;
}

/** The NICs a state file holds; a line that does not parse is skipped (never guessed at). */
export function parseNicStateFile(text: string): SavedNicState[] {
  const saved = new Map<string, SavedNicState>();
  for (const line of text.split('\n')) {
    const m = /^(\S+) (\S+)$/.exec(line.trim());
    const s = m ? decodeSavedNic(m[1] as string, m[2] as string) : undefined;
    // The first line of a NIC is its state before lab: later ones never replace it.
    if (s && !saved.has(s.interface)) saved.set(s.interface, s);
  }
  return [...saved.values()];
}

/**
 * The argv (for a privileged script) that records a NIC's state before its first change, unless
 * the file already holds it: a second run must not take lab's own changes for the original state.
 */
export function saveNicCommand(scenario: string, s: SavedNicState): string[] {
  return [
    'sh',
    '-c',
    'mkdir -p "$1" && { cut -d" " -f1 "$3" 2>/dev/null | grep -qxF "$2" || printf "%s\\n" "$4" >> "$3"; }',
    'sh',
    NIC_STATE_DIR,
    s.interface,
    nicStateFile(scenario),
    nicStateLine(s),
  ];
}
