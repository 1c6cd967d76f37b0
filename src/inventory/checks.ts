import { isIP } from 'node:net';
import { InventoryProblem, show } from './problem.js';

/**
 * The checks on names and values that later reach ssh and remote commands. Strict on purpose: a name
 * that passes contains no blank, quote or shell metacharacter, and cannot be read as an option.
 */

/**
 * Inventory host names and group names: letters, digits, `.`, `_`, `-`, not starting with `.` or `-`
 * (a leading `-` would read as an option to ssh; a leading `.` makes `..` possible in file names).
 */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const MAX_NAME = 253;

/** Variable names: what Ansible accepts as a variable, and what `{{ name }}` can refer to. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isInventoryName(name: string): boolean {
  return name.length <= MAX_NAME && NAME.test(name);
}

export function checkHostName(name: string): void {
  if (isInventoryName(name)) return;
  const ipv6 = name.includes(':') && isIP(name.replace(/^\[|\]$/g, '')) === 6;
  throw new InventoryProblem(
    name === ''
      ? 'a host line has an empty host name'
      : `host name ${show(name)} is not a valid inventory name`,
    ipv6
      ? 'give the host a name and put the IPv6 address in ansible_host: web1 ansible_host=fe80::1'
      : 'a host name is letters, digits, ".", "_" and "-", starting with a letter, digit or "_" (up to 253 characters)',
  );
}

export function checkGroupName(name: string): void {
  if (isInventoryName(name)) return;
  throw new InventoryProblem(
    `group name ${show(name)} is not a valid group name`,
    'a group name is letters, digits, ".", "_" and "-", starting with a letter, digit or "_"; web_servers is fine',
  );
}

export function checkVariableName(name: string): void {
  if (IDENTIFIER.test(name)) return;
  throw new InventoryProblem(
    name === ''
      ? 'a variable has no name before "="'
      : `variable name ${show(name)} is not an identifier`,
    'a variable name is letters, digits and "_", not starting with a digit: mac_net1_subnet',
  );
}

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * A DNS host name (RFC 1123 labels, `_` tolerated as real networks have it, one trailing dot
 * allowed). A name whose last label is all digits (`10.0.0.300`, `123`) is a mistyped address.
 */
export function isHostname(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name === '' || name.length > 253) return false;
  const labels = name.split('.');
  if (!labels.every((label) => LABEL.test(label))) return false;
  return !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

/** An IP address (v4, or v6 with an optional %zone) or a host name. */
export function isAddress(text: string): boolean {
  return isIP(text) !== 0 || isHostname(text);
}

export function parsePort(text: string, variable: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (port >= 1 && port <= 65535) return port;
  throw new InventoryProblem(
    `${variable} must be a whole number from 1 to 65535, got ${show(text)}`,
    'the SSH port as digits, e.g. 22 (service names like "ssh" are not looked up)',
  );
}

const TRUE = new Set(['true', 'yes', 'on', '1', 't', 'y']);
const FALSE = new Set(['false', 'no', 'off', '0', 'f', 'n']);

/** Ansible's boolean(): true/false, yes/no, on/off, 1/0, t/f, y/n, any case. */
export function parseBoolean(text: string, variable: string): boolean {
  const word = text.trim().toLowerCase();
  if (TRUE.has(word)) return true;
  if (FALSE.has(word)) return false;
  throw new InventoryProblem(
    `${variable} must be true or false, got ${show(text)}`,
    'write true or false (yes/no and 1/0 also work)',
  );
}

export function checkAddress(text: string, variable: string): string {
  if (isAddress(text)) return text;
  throw new InventoryProblem(
    `${variable} must be an IP address or a host name, got ${show(text)}`,
    'e.g. ansible_host=172.25.83.1 or ansible_host=server1.example.com (no blanks, no port; the port goes in ansible_port)',
  );
}

/** A remote user name as ssh will pass it: something, without blanks or control characters, not an option. */
export function checkUser(text: string, variable: string): string {
  // eslint-disable-next-line no-control-regex
  if (text !== '' && !/[\s\x00-\x1f\x7f]/.test(text) && !text.startsWith('-')) return text;
  throw new InventoryProblem(
    `${variable} must be a user name, got ${show(text)}`,
    'e.g. ansible_user=root',
  );
}

/** A path to a local file (expanded and opened later, at the CLI edge and in the SSH layer). */
export function checkPath(text: string, variable: string, example: string): string {
  // eslint-disable-next-line no-control-regex
  if (text !== '' && !/[\x00-\x1f\x7f]/.test(text)) return text;
  throw new InventoryProblem(
    `${variable} must be a file path, got ${show(text)}`,
    `e.g. ${variable}=${example}`,
  );
}

/** A unix socket on the host, as sshd opens it for a forward: an absolute path, one word. */
export function checkSocketPath(text: string, variable: string): string {
  if (/^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/.test(text) && !text.split('/').includes('..'))
    return text;
  throw new InventoryProblem(
    `${variable} must be the absolute path of the Engine API socket on the host, got ${show(text)}`,
    `e.g. ${variable}=/run/podman/podman.sock (Podman's service on RHEL 8/9); without it lab uses /var/run/docker.sock`,
  );
}

export function parseGroupPriority(text: string): number {
  if (/^-?\d{1,9}$/.test(text)) return Number(text);
  throw new InventoryProblem(
    `ansible_group_priority must be a whole number, got ${show(text)}`,
    'e.g. ansible_group_priority=10 (higher wins among groups at the same depth; the default is 1)',
  );
}
