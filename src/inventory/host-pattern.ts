import { parsePort } from './checks.js';
import { InventoryProblem, show } from './problem.js';
import { expandHostPattern } from './ranges.js';

/**
 * A host key or the first word of a host line: `name`, `name:port`, `web[01:10]:2222`, as Ansible's
 * _expand_hostpattern reads it (lib/ansible/parsing/utils/addresses.py parse_address): a port is split
 * off only when what is left is a valid host name or IPv4 address (with ranges); otherwise the whole
 * text is the name (which lab's name check then refuses).
 */
const RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const LABEL = String.raw`(?:\w|${RANGE})(?:[\w-]|${RANGE})*(?<![_-])`;
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, 'iu');
const HOST_PORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;

export function expandHostKey(pattern: string): { names: string[]; port?: number } {
  let name = pattern;
  let port: number | undefined;
  const m = HOST_PORT.exec(pattern);
  if (m && HOSTNAME.test(m[1] ?? '')) {
    name = m[1] ?? '';
    port = parsePort(m[2] ?? '', `the port in ${show(pattern)}`);
  }
  if (port === undefined && pattern.trim().endsWith(':')) {
    throw new InventoryProblem(
      `host ${show(pattern)} ends in ":"`,
      'give the port after the colon (web1:2222), or drop the colon',
    );
  }
  const names = name.includes('[') ? expandHostPattern(name) : [name];
  if (names.some((n) => n.trim() === '---')) {
    throw new InventoryProblem(
      `${show(pattern)} is not a host: this looks like a YAML inventory`,
      'name a YAML inventory NAME.yml (or .yaml), or write INI: [group] sections and `name key=value` host lines',
    );
  }
  return port === undefined ? { names } : { names, port };
}
