import { LabError } from '../../common/errors.js';
import type { SshConfigValues } from './ssh-config.js';

/**
 * The ssh options Ansible users put in ansible_ssh_common_args / ansible_ssh_extra_args, read the way
 * ssh reads its command line (first value obtained wins), for what lab does itself: ProxyJump (`-o
 * ProxyJump=…`, `-J …`), User, Port, HostName, IdentityFile (`-i`), UserKnownHostsFile,
 * StrictHostKeyChecking. Options that only tune OpenSSH's own client are ignored; anything that would
 * change where or how lab connects and that lab cannot do (ProxyCommand, port forwards, unknown
 * flags) is refused, naming host and variable, rather than silently connecting another way.
 */

/** -o options that only tune the OpenSSH client (multiplexing, keepalives, logging): nothing to do. */
const IGNORED_OPTIONS = new Set(
  [
    'AddKeysToAgent',
    'BatchMode',
    'CheckHostIP',
    'Compression',
    'ConnectionAttempts',
    'ConnectTimeout',
    'ControlMaster',
    'ControlPath',
    'ControlPersist',
    'ForwardAgent',
    'ForwardX11',
    'GSSAPIAuthentication',
    'HashKnownHosts',
    'IdentitiesOnly',
    'KbdInteractiveAuthentication',
    'LogLevel',
    'PasswordAuthentication',
    'PreferredAuthentications',
    'PubkeyAuthentication',
    'RequestTTY',
    'ServerAliveCountMax',
    'ServerAliveInterval',
    'TCPKeepAlive',
    'UpdateHostKeys',
  ].map((o) => o.toLowerCase()),
);
/** Flags without an argument that change nothing lab does. */
const IGNORED_FLAGS = new Set(['-4', '-6', '-A', '-a', '-C', '-q', '-T', '-t', '-v', '-x', '-X']);

export interface SshArgsSource {
  /** The inventory host, for messages. */
  host: string;
  /** ansible_ssh_common_args or ansible_ssh_extra_args. */
  variable: string;
  value: string;
}

/** Reads each variable's options in order (common args come first on Ansible's command line). */
export function parseSshArgs(sources: readonly SshArgsSource[]): SshConfigValues {
  const out: SshConfigValues = { identityFiles: [] };
  for (const source of sources) {
    const refuse = (what: string, hint?: string): never => {
      throw new LabError(
        'input',
        `${source.host}: ${source.variable}: ${what}`,
        hint ? { host: source.host, hint } : { host: source.host },
      );
    };
    const words = splitShellWords(source.value, refuse);
    for (let i = 0; i < words.length; i++) {
      const word = words[i] ?? '';
      const flag = word.slice(0, 2);
      const needsArg =
        flag === '-o' || flag === '-J' || flag === '-i' || flag === '-l' || flag === '-p';
      let arg = word.length > 2 ? word.slice(2) : undefined;
      if (needsArg && arg === undefined) {
        arg = words[++i];
        if (arg === undefined) refuse(`${flag} needs a value`);
      }
      if (!needsArg) {
        if (IGNORED_FLAGS.has(word)) continue;
        refuse(
          `\`${word}\` is not an ssh option lab supports`,
          'lab reads -o ProxyJump=…, -J, -o User/Port/HostName/IdentityFile/UserKnownHostsFile/StrictHostKeyChecking and -i/-l/-p, and ignores client tuning such as -o ControlPersist',
        );
      }
      const value = arg ?? '';
      if (flag === '-o') option(out, value, refuse);
      else if (flag === '-J') out.proxyJump ??= value;
      else if (flag === '-i') out.identityFiles.push(value);
      else if (flag === '-l') out.user ??= value;
      else out.port ??= port(value, refuse);
    }
  }
  return out;
}

function option(out: SshConfigValues, text: string, refuse: (what: string) => never): void {
  const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/s.exec(text);
  if (!m?.[1] || m[2] === undefined || m[2].trim() === '') {
    refuse(`\`-o ${text}\` is not an ssh option (write -o Name=value)`);
  }
  const name = (m?.[1] ?? '').toLowerCase();
  const value = (m?.[2] ?? '').trim();
  switch (name) {
    case 'proxyjump':
      out.proxyJump ??= value;
      return;
    case 'proxycommand':
      if (value.toLowerCase() === 'none') out.proxyJump ??= 'none';
      else if (out.proxyJump === undefined) {
        refuse('ProxyCommand is not supported: lab runs no local commands; use -o ProxyJump=HOST');
      }
      return;
    case 'user':
      out.user ??= value;
      return;
    case 'port':
      out.port ??= port(value, refuse);
      return;
    case 'hostname':
      out.hostName ??= value;
      return;
    case 'identityfile':
      out.identityFiles.push(value);
      return;
    case 'userknownhostsfile':
      out.userKnownHostsFile ??= value.split(/\s+/)[0] ?? value;
      return;
    case 'stricthostkeychecking':
      out.strictHostKeyChecking ??= value.toLowerCase();
      return;
  }
  if (!IGNORED_OPTIONS.has(name)) {
    refuse(`\`-o ${text}\` is an ssh option lab does not support`);
  }
}

function port(text: string, refuse: (what: string) => never): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (n >= 1 && n <= 65535) return n;
  return refuse(`port must be 1 to 65535, got "${text}"`);
}

/**
 * Splits like Python's shlex.split, which Ansible uses on these variables: blanks separate words,
 * '…' is literal, "…" allows \" and \\, a backslash outside quotes escapes the next character.
 */
export function splitShellWords(text: string, refuse: (what: string) => never): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word = (word ?? '') + c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\'))
        word = (word ?? '') + (text[++i] ?? '');
      else word = (word ?? '') + c;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\') {
      word = (word ?? '') + (text[++i] ?? '');
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) refuse(`unbalanced ${quote} quote in ${JSON.stringify(text)}`);
  if (word !== undefined) words.push(word);
  return words;
}
