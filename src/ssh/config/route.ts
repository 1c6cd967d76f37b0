import { LabError } from '../../common/errors.js';
import type { SshEndpoint, SshTarget } from '../target.js';
import { parseSshArgs, type SshArgsSource } from './ssh-args.js';
import { lookupSshConfig, type SshConfig, type SshConfigValues } from './ssh-config.js';

/**
 * How lab reaches a host, decided before anything is contacted: the inventory's settings win (as in
 * Ansible, which puts them on ssh's command line), then ansible_ssh_common_args / _extra_args, then
 * ssh_config for the name ssh would be given (ansible_host, else the inventory name). ProxyJump,
 * from the args or ssh_config, gives the jump hosts; a jump host named like an inventory host is
 * reached with that host's inventory settings.
 */

/** A host as the inventory gives it: only what the inventory sets explicitly. */
export interface RouteRequest {
  host: string;
  /** ansible_host, else the inventory name: the name ssh would be given. */
  address: string;
  /** ansible_port, only when the inventory sets it (else ssh_config's Port, else 22). */
  port?: number;
  user?: string;
  privateKeyFile?: string;
  knownHostsFile?: string;
  become: boolean;
  /** The Engine API socket on the target, when not the default (lab_docker_socket). */
  dockerSocket?: string;
  args: SshArgsSource[];
}

export interface RouteContext {
  config: SshConfig;
  homeDir: string;
  localUser: string;
  /** --known-hosts, when given: wins over ssh_config's UserKnownHostsFile, not over lab_known_hosts. */
  knownHostsFile?: string;
  /** The inventory host of that name, if there is one. */
  inventoryHost(name: string): RouteRequest | undefined;
}

const MAX_HOPS = 8;

/** The target with its jump hosts, every value final; throws a LabError naming host and setting. */
export function resolveRoute(request: RouteRequest, context: RouteContext): SshTarget {
  const { endpoint, jumps } = resolveEndpoint(request, context, {}, [request.host]);
  return {
    ...endpoint,
    become: request.become,
    ...(request.dockerSocket !== undefined && { dockerSocket: request.dockerSocket }),
    ...(jumps.length > 0 && { jumps }),
  };
}

interface HopSpec {
  user?: string;
  host: string;
  port?: number;
}

function resolveEndpoint(
  request: RouteRequest,
  context: RouteContext,
  spec: { user?: string; port?: number },
  chain: string[],
  /** A jump host lab knows only from ProxyJump checks its key where the host behind it does. */
  fallbackKnownHosts?: string,
): { endpoint: SshEndpoint; jumps: SshEndpoint[] } {
  const args = parseSshArgs(request.args);
  const conf = lookupSshConfig(context.config, request.address, {
    localUser: context.localUser,
    ...((spec.user ?? request.user ?? args.user) !== undefined && {
      user: spec.user ?? request.user ?? args.user,
    }),
  });
  const first = <K extends keyof SshConfigValues>(key: K) => args[key] ?? conf[key];
  const original = request.address;
  const address = (first('hostName') ?? original).replaceAll('%h', original).replaceAll('%%', '%');
  const port = spec.port ?? request.port ?? first('port') ?? 22;
  const user = spec.user ?? request.user ?? first('user');
  const tokens = { home: context.homeDir, localUser: context.localUser, address, original, port };
  const expand = (file: string) =>
    expandPath(file, { ...tokens, user: user ?? context.localUser }, request.host);
  const knownHosts =
    request.knownHostsFile ??
    context.knownHostsFile ??
    first('userKnownHostsFile') ??
    fallbackKnownHosts;
  const identityFiles = [...args.identityFiles, ...conf.identityFiles].map(expand);
  const strict = first('strictHostKeyChecking');
  const endpoint: SshEndpoint = {
    host: request.host,
    address,
    port,
    ...(user !== undefined && { user }),
    ...(request.privateKeyFile !== undefined && {
      privateKeyFile: expand(request.privateKeyFile),
    }),
    ...(request.privateKeyFile === undefined && identityFiles.length > 0 && { identityFiles }),
    ...(knownHosts !== undefined && { knownHostsFile: expand(knownHosts) }),
    ...(strict !== undefined && { acceptNewHostKeys: acceptNew(strict, request.host) }),
  };
  const jumpSpec = first('proxyJump');
  if (jumpSpec === undefined || jumpSpec.toLowerCase() === 'none') return { endpoint, jumps: [] };
  const hops = parseJumpSpec(jumpSpec, request.host);
  return { endpoint, jumps: resolveJumps(hops, context, chain, endpoint.knownHostsFile) };
}

/** `-J a,b`: a is reached as its own settings say (perhaps through jumps of its own), b through a. */
function resolveJumps(
  hops: HopSpec[],
  context: RouteContext,
  chain: string[],
  knownHosts: string | undefined,
): SshEndpoint[] {
  const out: SshEndpoint[] = [];
  hops.forEach((hop, i) => {
    if (chain.includes(hop.host) || chain.length >= MAX_HOPS) {
      throw new LabError(
        'input',
        `${chain[0]}: the jump hosts loop or go too deep (${[...chain, hop.host].join(' → ')})`,
        { host: chain[0] ?? hop.host, hint: `at most ${MAX_HOPS} hops, none twice` },
      );
    }
    const request = context.inventoryHost(hop.host) ?? {
      host: hop.host,
      address: hop.host,
      become: false,
      args: [],
    };
    const spec = {
      ...(hop.user !== undefined && { user: hop.user }),
      ...(hop.port !== undefined && { port: hop.port }),
    };
    const resolved = resolveEndpoint(request, context, spec, [...chain, hop.host], knownHosts);
    // Only the first hop keeps jumps of its own; each later one is reached through the one before.
    if (i === 0) out.push(...resolved.jumps);
    out.push(resolved.endpoint);
  });
  return out;
}

/** ProxyJump's value: `[user@]host[:port]` or `ssh://[user@]host[:port]`, comma-separated. */
export function parseJumpSpec(text: string, host: string): HopSpec[] {
  return text.split(',').map((raw) => {
    const part = raw.trim().replace(/^ssh:\/\//, '');
    const m = /^(?:([^@\s:/]+)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?$/.exec(part);
    const port = m?.[3] === undefined ? undefined : Number(m[3]);
    if (!m?.[2] || m[2].startsWith('-') || (port !== undefined && (port < 1 || port > 65535))) {
      throw new LabError('input', `${host}: ProxyJump "${raw.trim()}" is not [user@]host[:port]`, {
        host,
        hint: 'e.g. -o ProxyJump=bastion, -J root@198.18.0.1:22, or a chain a,b',
      });
    }
    return {
      host: m[2].replace(/^\[|\]$/g, ''),
      ...(m[1] !== undefined && { user: m[1] }),
      ...(port !== undefined && { port }),
    };
  });
}

function acceptNew(value: string, host: string): boolean {
  if (value === 'accept-new' || value === 'no' || value === 'off') return true;
  if (value === 'yes' || value === 'ask') return false;
  throw new LabError(
    'input',
    `${host}: StrictHostKeyChecking "${value}" is not a value ssh knows`,
    {
      host,
      hint: 'yes, accept-new, no, off or ask',
    },
  );
}

interface Tokens {
  home: string;
  localUser: string;
  user: string;
  address: string;
  original: string;
  port: number;
}

/** `~/` and ssh's %-tokens in IdentityFile and UserKnownHostsFile, as far as lab knows them. */
export function expandPath(file: string, t: Tokens, host: string): string {
  const tilde = file === '~' ? t.home : file.startsWith('~/') ? t.home + file.slice(1) : file;
  if (/^~[^/]/.test(tilde)) {
    throw new LabError('input', `${host}: "${file}": ~user paths are not supported`, {
      host,
      hint: 'write the path out, or start it with ~/',
    });
  }
  const values: Record<string, string> = {
    '%': '%',
    d: t.home,
    u: t.localUser,
    r: t.user,
    h: t.address,
    n: t.original,
    p: String(t.port),
  };
  return tilde.replace(/%(.)?/g, (whole, token: string | undefined) => {
    const value = token === undefined ? undefined : values[token];
    if (value === undefined) {
      throw new LabError('input', `${host}: "${file}": the token ${whole} is not supported`, {
        host,
        hint: 'lab expands %d %u %r %h %n %p and %%',
      });
    }
    return value;
  });
}

/** A route in words: "root@198.18.0.3:22 via root@server1 (198.18.0.1:22)". */
export function describeRoute(target: SshTarget): string {
  const at = (user: string | undefined) => (user === undefined ? '' : `${user}@`);
  const hops = (target.jumps ?? []).map((j) => `${at(j.user)}${j.host} (${j.address}:${j.port})`);
  const to = `${at(target.user)}${target.address}:${target.port}`;
  return hops.length > 0 ? `${to} via ${hops.join(', ')}` : to;
}
