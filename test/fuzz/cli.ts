/**
 * Fuzzing `lab run`'s command line (issue 10 items 6 and 8): flag values (numbers, --var, --ssh-config
 * files, --known-hosts, --transcript, --json) and sometimes a mutated scenario file, through the real
 * CLI against an in-process SSH server on loopback that refuses every login and records each attempt.
 * Exit 2 (bad input) must come with no login tried; every outcome is one line `lab: …` (no stack, no
 * internal error), and with --json exactly one JSON document on stdout. A connection anywhere but
 * to that server fails the case before it leaves the machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { main } from '../../src/cli/main.js';
import type { TestSshServer } from '../fakes/ssh-server.js';
import { scenarioText } from './inputs.js';

const NUMBERS = [
  '0',
  '-1',
  '1',
  '2.5',
  '1e12',
  'abc',
  'NaN',
  'Infinity',
  '0x10',
  ' 5',
  '',
  '86401',
];
const NUMERIC_FLAGS = [
  '--timeout',
  '--concurrency',
  '--keepalive-interval',
  '--keepalive-count',
  '--lock-wait',
  '--wait',
  '--ping-timeout',
];
const VARS = ['image=busybox', 'nope=1', '=1', 'image', 'image=', 'image=$(reboot)', 'a b=1'];
const SSH_CONFIGS = [
  'none',
  'ok.conf',
  'proxycommand.conf',
  'match-exec.conf',
  'include-loop.conf',
  'missing.conf',
];

const flag = fc.oneof(
  fc.tuple(
    fc.constantFrom(...NUMERIC_FLAGS),
    fc.oneof(fc.constantFrom(...NUMBERS), fc.double().map(String)),
  ),
  fc.tuple(fc.constant('--var'), fc.constantFrom(...VARS)),
  fc.tuple(fc.constant('--ssh-config'), fc.constantFrom(...SSH_CONFIGS)),
  fc.tuple(fc.constant('--known-hosts'), fc.constantFrom('known_hosts', 'nope/kh', 'inv.ini')),
  fc.tuple(fc.constant('--transcript'), fc.constantFrom('t.md', '/nonexistent-dir/t.md', '.')),
  fc.tuple(fc.constant('--json')),
);

export const cliCase = fc.record({
  flags: fc.array(flag, { maxLength: 4 }),
  /** A mutated scenario file instead of the shipped bridge-custom, now and then. */
  scenario: fc.option(scenarioText, { freq: 4 }),
});
export type CliCase = typeof cliCase extends fc.Arbitrary<infer C> ? C : never;

/** The working directory of the cases: an inventory pointing at the server, and the ssh_configs. */
export function writeCliFixture(dir: string, server: TestSshServer): void {
  mkdirSync(dir, { recursive: true });
  const host = (n: number) =>
    `server${n} ansible_host=127.0.0.1 ansible_port=${server.port} ansible_user=lab ansible_ssh_private_key_file=${server.clientKeyFile} lab_known_hosts=${server.knownHostsFile}`;
  writeFileSync(
    path.join(dir, 'inv.ini'),
    `[servers]\n${host(1)}\n${host(2)}\n[all:vars]\nimage=busybox:latest\nmy_net2_subnet=198.19.20.0/24\nmy_net2_gateway=198.19.20.1\n`,
  );
  writeFileSync(path.join(dir, 'known_hosts'), '');
  writeFileSync(path.join(dir, 'ok.conf'), 'Host 127.0.0.1\n  User lab\n');
  writeFileSync(path.join(dir, 'proxycommand.conf'), 'Host *\n  ProxyCommand nc %h %p\n');
  writeFileSync(path.join(dir, 'match-exec.conf'), 'Match exec "true"\n  User x\n');
  writeFileSync(
    path.join(dir, 'include-loop.conf'),
    `Include ${path.join(dir, 'include-loop.conf')}\n`,
  );
}

/**
 * Any TCP connection this process opens (with `loopback`, any but to 127.0.0.1, where the test's SSH
 * server and its relay listen): recorded and sent to loopback's discard port instead, so a case can
 * never reach another address (or ask DNS for a name).
 */
export function guardConnections(loopback: boolean): { strays: string[]; restore(): void } {
  const strays: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // net.connect() passes its arguments normalised, as one array [options, callback].
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const opts = (
      typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }
    ) as {
      port?: unknown;
      host?: unknown;
      path?: unknown;
    };
    if (opts.path === undefined && !(loopback && opts.host === '127.0.0.1')) {
      strays.push(`${String(opts.host)}:${String(opts.port)}`);
      return (original as (o: net.SocketConnectOpts) => net.Socket).call(this, {
        port: 9,
        host: '127.0.0.1',
      });
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return { strays, restore: () => void (net.Socket.prototype.connect = original) };
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** One command line through the real CLI; throws when the outcome breaks a rule above. */
export async function checkCli(c: CliCase, dir: string, server: TestSshServer): Promise<number> {
  let scenario = 'bridge-custom';
  if (c.scenario !== null) {
    scenario = path.join(dir, 'fuzz-scenario.yaml');
    writeFileSync(scenario, c.scenario);
  }
  const argv = [
    'run',
    scenario,
    '-i',
    'inv.ini',
    '--scenarios',
    path.resolve(import.meta.dirname, '../../scenarios'),
    ...c.flags.flat(),
  ];
  const stdout = new Capture();
  const stderr = new Capture();
  const logins = server.authentications.length;
  const code = await main(argv, {
    stdout,
    stderr,
    env: { HOME: dir, USER: 'lab', NO_COLOR: '1' },
    cwd: dir,
  });
  const said = `lab ${argv.join(' ')} → exit ${code}\n${stderr.text}`;
  if (/internal error|\n\s+at .+:\d+:\d+\)?\n/.test(stderr.text))
    throw new Error(`a crash: ${said}`);
  if (code === 2 && server.authentications.length > logins) {
    throw new Error(`bad input, yet a login was tried: ${said}`);
  }
  if (![0, 2, 3].includes(code)) throw new Error(`exit ${code}: ${said}`);
  if (c.flags.some((f) => f[0] === '--json')) {
    try {
      JSON.parse(stdout.text);
    } catch {
      throw new Error(`--json gave no single JSON document: ${said}\nstdout: ${stdout.text}`);
    }
  }
  return code;
}
