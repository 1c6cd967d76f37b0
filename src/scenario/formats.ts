/**
 * The shapes a scenario's string values must have. Every name that ends up on a remote command line
 * (interfaces, networks, containers, images, driver options) is checked here against a strict
 * allow-list, so `eth0; rm -rf /` or `$(reboot)` is refused at load time, and again after variables
 * are substituted, before anything touches a host.
 */
import { errorText } from '../common/errors.js';
import ipaddr from 'ipaddr.js';

export interface Format {
  /** What a right value looks like, for messages: "expected <what>, got …". */
  what: string;
  /** Why `value` is wrong (a short clause), or undefined when it is right. */
  problem(value: string): string | undefined;
}

const NAME_CHARS = 'only letters, digits and _ . - are allowed, starting with a letter or digit';

export function byPattern(what: string, pattern: RegExp, why = NAME_CHARS): Format {
  return { what, problem: (v) => (pattern.test(v) ? undefined : why) };
}

export const interfaceName: Format = {
  what: 'a network interface name like eth0 or eth0.1',
  problem(v) {
    // IFNAMSIZ is 16 bytes with the terminating NUL: the kernel refuses longer names.
    if (v.length > 15)
      return `Linux interface names are at most 15 characters, this one has ${v.length}`;
    return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(v) ? undefined : NAME_CHARS;
  },
};

export const dockerName = byPattern(
  'a Docker name like mac_net1 or vm4',
  // Docker's own rule for container and network names.
  /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
);

export const scenarioName = byPattern(
  'a scenario name like macvlan-two-nic',
  /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
);

export const hostSelector = byPattern(
  'an inventory host or group name like server1',
  /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
  'only letters, digits and _ . - are allowed',
);

export const varName = byPattern(
  'a variable name like mac_net1_subnet',
  /^[A-Za-z_][A-Za-z0-9_]*$/,
  'only letters, digits and _ are allowed, not starting with a digit',
);

export const optionName = byPattern(
  'a driver option name like macvlan_mode',
  /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
);

// The grammar of github.com/distribution/reference, without IPv6 registry hosts:
// [domain[:port]/]path-component(/path-component)*[:tag][@digest]
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?`;
const PATH_PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_PART}(?:/${PATH_PART})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);

export const imageRef: Format = {
  what: 'an image reference like busybox:latest or registry.example:5000/team/app:1.0',
  problem(v) {
    const m = IMAGE.exec(v);
    if (!m) return 'not a valid Docker image reference (repository names are lower case)';
    return (m[1] ?? '').length > 255
      ? 'the repository name is longer than 255 characters'
      : undefined;
  },
};

export function isIPv4(v: string): boolean {
  // Only the dotted-quad form: ipaddr.isValid would also take "10" or "0x0a.1", which Docker does not.
  return ipaddr.IPv4.isValidFourPartDecimal(v);
}

export const ipv4: Format = {
  what: 'an IPv4 address like 172.183.1.10',
  problem: (v) => (isIPv4(v) ? undefined : 'not a dotted-quad IPv4 address'),
};

/** A host number within a subnet, written as a string (what a variable holding "10" becomes). */
export const HOST_NUMBER = /^[0-9]{1,10}$/;

export const ipv4OrHostNumber: Format = {
  what: 'an IPv4 address like 172.183.1.10 or a host number within the subnet like 10',
  problem: (v) =>
    HOST_NUMBER.test(v) || isIPv4(v) ? undefined : 'neither an IPv4 address nor a number',
};

export const cidr4: Format = {
  what: 'an IPv4 subnet in CIDR form like 172.183.1.0/24',
  problem(v) {
    const [addr, prefix, ...rest] = v.split('/');
    if (rest.length > 0 || !addr || !prefix || !isIPv4(addr) || !/^[0-9]{1,2}$/.test(prefix)) {
      return 'not of the form a.b.c.d/prefix';
    }
    const bits = Number(prefix);
    if (bits > 32) return 'the prefix length is at most 32';
    // A /31 or /32 leaves no address for a gateway and a container.
    if (bits > 30) return `a /${bits} has no room for containers; use /30 or shorter`;
    const network = ipaddr.IPv4.networkAddressFromCIDR(v).toString();
    return network === addr ? undefined : `host bits are set; the subnet is ${network}/${bits}`;
  },
};

const PORT = '[0-9]{1,5}';
const PORTS = `${PORT}(?:-${PORT})?`;
const PUBLISH = new RegExp(
  `^(?:([0-9]{1,3}(?:\\.[0-9]{1,3}){3}):)?(?:(${PORTS}):)?(${PORTS})(?:/(tcp|udp|sctp))?$`,
);

export const publishSpec: Format = {
  what: 'a port mapping like 8080:80, 80, 127.0.0.1:8080:80 or 53:53/udp',
  problem(v) {
    const m = PUBLISH.exec(v);
    if (!m) return 'not of the form [ip:][host-port:]container-port[/tcp|udp|sctp]';
    if (m[1] && !isIPv4(m[1])) return `${m[1]} is not an IPv4 address`;
    const ports = `${m[2] ?? ''}-${m[3] ?? ''}`.split('-').filter((p) => p !== '');
    const bad = ports.find((p) => Number(p) < 1 || Number(p) > 65535);
    return bad === undefined ? undefined : `port ${bad} is not between 1 and 65535`;
  },
};

/** Prose (descriptions, reasons) and argv elements: anything a string can hold except NUL. */
export const text: Format = {
  what: 'a string',
  problem: (v) => (v.includes('\0') ? 'contains a NUL character' : undefined),
};

export const reasonText: Format = {
  what: 'a sentence saying why',
  problem: (v) => (v.trim() === '' ? 'it is empty' : text.problem(v)),
};

/** A section of the seed as the docs number it: 二.6, 三, 五.1 (docs/seed.md). */
export const seedSection = byPattern(
  'a section of the seed like 二.6, 三 or 五.1',
  /^[一二三四五](?:\.[1-8])?$/,
  'one of 一 二 三 四 五, optionally with a step number: 二.1 to 二.8, 五.1 to 五.3',
);

/** "expected <what>, got <value> (<why>)": the one wording every format error uses. */
export function formatMessage(format: Format, value: string, why: string): string {
  return `expected ${format.what}, got ${JSON.stringify(value)} (${why})`;
}

/** A regular expression (JavaScript syntax, matched case-insensitively): an expected error message. */
export const pattern: Format = {
  what: 'a regular expression like "already using parent interface"',
  problem(v) {
    if (v.trim() === '') return 'it is empty';
    try {
      new RegExp(v, 'i');
      return undefined;
    } catch (err) {
      return `not a valid regular expression: ${errorText(err)}`;
    }
  },
};

export const chainName = byPattern(
  'an iptables chain or target name like POSTROUTING, DOCKER or MASQUERADE',
  // iptables allows 28 characters; names with spaces or shell characters are never Docker's.
  /^[A-Za-z0-9_-]{1,28}$/,
  'only letters, digits, _ and - are allowed, at most 28 characters',
);

export const processName = byPattern(
  'a process name like docker-proxy',
  /^[A-Za-z0-9_.:-]{1,64}$/,
  'only letters, digits and _ . : - are allowed',
);

export const httpPath: Format = {
  what: 'an HTTP path like / or /index.html',
  problem: (v) =>
    /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/.test(v)
      ? undefined
      : 'it must start with / and hold no spaces or quotes',
};

/** An address as a CIDR (198.18.0.1/24) or a bare address: what `ip addr` shows on an interface. */
export const ipv4WithOptionalPrefix: Format = {
  what: 'an IPv4 address, with or without a prefix length, like 172.20.0.1/24',
  problem(v) {
    const [addr, prefix, ...rest] = v.split('/');
    if (rest.length > 0 || !addr || !isIPv4(addr)) return 'not of the form a.b.c.d[/prefix]';
    if (prefix === undefined) return undefined;
    return /^[0-9]{1,2}$/.test(prefix) && Number(prefix) <= 32
      ? undefined
      : 'the prefix length is a number from 0 to 32';
  },
};

/** A subnet or a single address, as iptables shows a rule's source or destination. */
export const cidrOrIPv4: Format = {
  what: 'an IPv4 subnet like 172.20.0.0/24 or an address like 172.17.0.2',
  problem: (v) =>
    v.includes('/') ? cidr4.problem(v) : isIPv4(v) ? undefined : 'not a dotted-quad IPv4 address',
};
