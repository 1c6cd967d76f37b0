/**
 * The exact command that repeats one probe by hand: the same image, the same network namespace, the
 * same interface and ping, run on the source's host over SSH.
 */
import type { SshTarget } from '../ssh/target.js';
import { quoteCommand, quoteWord } from '../ssh/quote.js';
import { pingSeconds } from './probe-script.js';
import type { PortSpec } from '../common/port.js';

export interface ReproduceInput {
  /** The source container's name (or id). */
  container: string;
  /** The prober's network instead of the container's (`host`: a host's own row). */
  network?: string;
  image: string;
  kind: 'ip' | 'name';
  dest: string;
  iface?: string;
  timeoutSeconds: number;
  /** A port probe: nc for TCP, traceroute's one datagram for UDP, as the prober does. */
  port?: PortSpec;
}

/** The tool and arguments that probe one port, as the probe script runs them. */
export function portProbeArgv(dest: string, port: PortSpec, timeoutSeconds: number): string[] {
  const t = String(pingSeconds(timeoutSeconds));
  return port.protocol === 'tcp'
    ? ['nc', '-w', t, dest, String(port.port), '-e', 'true']
    : [
        'traceroute',
        '-n',
        '-q',
        '1',
        '-f',
        '32',
        '-m',
        '32',
        '-w',
        t,
        '-p',
        String(port.port - 1),
        dest,
      ];
}

/** The command to type on the source's host. */
export function probeCommand(p: ReproduceInput): string {
  const t = pingSeconds(p.timeoutSeconds);
  const run = [
    'docker',
    'run',
    '--rm',
    '--network',
    p.network ?? `container:${p.container}`,
    p.image,
  ];
  const ping = ['ping', '-c', '1', '-W', String(t), ...(p.iface ? ['-I', p.iface] : []), p.dest];
  const tail = p.port
    ? portProbeArgv(p.dest, p.port, p.timeoutSeconds)
    : p.kind === 'name'
      ? ['sh', '-c', `nslookup ${p.dest} && ${ping.join(' ')}`]
      : ping;
  return quoteCommand([...run, ...tail]);
}

/** The same, prefixed with the ssh command that reaches the host as lab does. */
export function sshCommand(target: SshTarget | undefined, command: string): string {
  if (!target) return command;
  const words = ['ssh'];
  if (target.port !== 22) words.push('-p', String(target.port));
  if (target.privateKeyFile) words.push('-i', target.privateKeyFile);
  if (target.knownHostsFile) words.push('-o', `UserKnownHostsFile=${target.knownHostsFile}`);
  words.push(target.user ? `${target.user}@${target.address}` : target.address);
  // Docker needs root: lab itself goes through sudo on such hosts (ansible_become).
  const remote = target.become && target.user !== 'root' ? `sudo ${command}` : command;
  return `${quoteCommand(words)} ${quoteWord(remote)}`;
}
