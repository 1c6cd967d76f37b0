import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { LabError } from '../../common/errors.js';
import type { BoxSystem } from '../../box/index.js';
import { DEFAULT_HOSTS, MAX_HOSTS } from '../../box/network/address-plan.js';
import { DEFAULT_BOX_STATE_DIR } from '../../box/layout.js';
import { allowedEngineSpecs, parseEngineOption } from '../../box/engine/spec.js';

// The box's machinery loads only when a box command runs: `lab run` and `lab --help` stay quick.
const boxModule = () => import('../../box/index.js');
import { ExitCode, type CliContext } from '../context.js';
import { boxStateDir } from '../inventory-arg.js';
import { parsePositiveInt } from '../options.js';
import { numberOption } from '../shared-options.js';
import type { RegisterCommand } from './register.js';

const MACHINE_DOCKER_SOCKET = '/run/docker.sock';

/**
 * The state directory as a typed, checked value: --state-dir, else $LAB_BOX_DIR (the same default
 * `-i box` uses), else /var/lib/lab-box. Absolute and without whitespace: it goes into sshd_config.
 */
export function parseStateDir(value: string | undefined, ctx: CliContext): string {
  const dir = value === undefined ? boxStateDir(ctx) : resolve(ctx.cwd, value);
  if (/\s/.test(dir) || dir === '/') {
    throw new LabError(
      'input',
      `--state-dir ${JSON.stringify(dir)} cannot be the box's state directory`,
      {
        hint: 'an absolute path without spaces, e.g. /var/lib/lab-box',
      },
    );
  }
  return dir;
}

/** `--behind server3=server1` (repeatable) as { server3: 'server1' }; the box checks the names. */
export function parseBehind(values: readonly string[] | undefined): Record<string, string> {
  const behind: Record<string, string> = {};
  for (const value of values ?? []) {
    const m = /^([A-Za-z0-9_-]+)=([A-Za-z0-9_-]+)$/.exec(value.trim());
    if (!m?.[1] || !m[2] || Object.hasOwn(behind, m[1])) {
      throw new LabError(
        'input',
        m?.[1]
          ? `--behind names ${m[1]} twice`
          : `--behind ${JSON.stringify(value)} is not HOST=JUMP`,
        { hint: '--behind server3=server1 puts server3 behind server1' },
      );
    }
    behind[m[1]] = m[2];
  }
  return behind;
}

async function boxSystem(ctx: CliContext): Promise<BoxSystem> {
  return (await boxModule()).realBoxSystem({
    env: ctx.env,
    isRoot: process.getuid?.() === 0,
    report: (line) => ctx.stderr.write(`lab box: ${line}\n`),
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const register: RegisterCommand = (parser, ctx, setExit) => {
  parser.command(
    'box <command>',
    'A local lab: hosts server1..serverN as namespaces on this machine, each with its own sshd and dockerd',
    (box: Argv) =>
      box
        .option('state-dir', {
          type: 'string',
          describe: `Where the box keeps its state (default: $LAB_BOX_DIR or ${DEFAULT_BOX_STATE_DIR})`,
        })
        .command(
          'up',
          'Bring the box up (cleans up a crashed one first; a healthy one is left alone)',
          (y) => boxUpOptions(y),
          async (argv) => {
            await boxUp(ctx, argv['state-dir'], argv.hosts, {
              behind: argv.behind,
              engine: argv.engine,
              harden: argv.harden,
            });
            setExit(ExitCode.ok);
          },
        )
        .command(
          'down',
          'Remove the box and everything it made; "no box" is fine',
          (y) => y,
          async (argv) => {
            const stateDir = parseStateDir(argv['state-dir'], ctx);
            const result = await (await boxModule()).boxDown(await boxSystem(ctx), stateDir);
            ctx.stdout.write(
              result.foundAnything
                ? `the box is down (${seconds(result.durationMs)})\n`
                : `no box (${stateDir})\n`,
            );
            setExit(ExitCode.ok);
          },
        )
        .command(
          'status',
          'Show each host: namespace, addresses, sshd, dockerd, image, stand-ins',
          (y) =>
            y.option('json', {
              type: 'boolean',
              default: false,
              describe: 'Print the status as JSON',
            }),
          async (argv) => setExit(await boxStatus(ctx, argv['state-dir'], argv.json)),
        )
        .command(
          'install',
          'Install what the box needs (Debian/Ubuntu: apt-get), starting no services',
          (y) =>
            y.option('print', {
              type: 'boolean',
              default: false,
              describe: 'Only print the command',
            }),
          async (argv) => {
            await boxInstall(ctx, argv.print, argv['state-dir']);
            setExit(ExitCode.ok);
          },
        )
        .demandCommand(1, 'Name a box command: up, down, status or install.'),
  );
};

/** `lab box up`'s options: the number of hosts and each host's place, engine and hardening. */
function boxUpOptions<T>(y: Argv<T>) {
  return y
    .option('hosts', numberOption(DEFAULT_HOSTS, `Number of hosts, 1 to ${MAX_HOSTS}`))
    .option('behind', {
      type: 'string',
      array: true,
      describe:
        'Put a host behind another: HOST=JUMP (repeatable). Its eth0 sits on a switch the machine is not on; lab reaches it through JUMP (ProxyJump)',
    })
    .option('engine', {
      type: 'string',
      array: true,
      describe: `Run another engine on a host: HOST=SPEC, SPEC one of ${allowedEngineSpecs().join(', ')} (repeatable). Other hosts run the machine's dockerd`,
    })
    .option('harden', {
      type: 'string',
      array: true,
      describe:
        'Harden a host (repeatable): its sshd refuses forwarding (DisableForwarding yes), labuser leaves the docker group (sudo without a password), labpass has sudo with a password',
    })
    .example('$0 box up --hosts 3 --behind server3=server1', 'server3 only via server1')
    .example('$0 box up --engine server2=26.1', 'server2 runs Debian 13’s dockerd 26.1')
    .example('$0 box up --harden server2', 'server2 as a hardened server');
}

/** `lab box up`: the box, then how to reach each host. */
async function boxUp(
  ctx: CliContext,
  stateDirFlag: string | undefined,
  hostsFlag: unknown,
  flags: {
    behind: readonly string[] | undefined;
    engine: readonly string[] | undefined;
    harden: readonly string[] | undefined;
  },
): Promise<void> {
  const stateDir = parseStateDir(stateDirFlag, ctx);
  const hostCount = parsePositiveInt('hosts', hostsFlag, MAX_HOSTS);
  const behind = parseBehind(flags.behind);
  const engines = parseEngineOption(flags.engine);
  const result = await (
    await boxModule()
  ).boxUp(await boxSystem(ctx), {
    stateDir,
    hostCount,
    behind,
    engines,
    harden: flags.harden ?? [],
  });
  const state = result.state;
  ctx.stdout.write(
    result.kind === 'already-up'
      ? `the box is already up and healthy (${state.hosts.length} hosts, since ${state.createdAt}); nothing to do\n`
      : `the box is up: ${state.hosts.length} hosts in ${seconds(result.durationMs)}\n`,
  );
  for (const host of state.hosts) {
    const via =
      (host.behind ? `  (behind ${host.behind}: only through it)` : '') +
      (host.hardened ? '  (hardened: no forwarding; Docker via dial-stdio)' : '');
    ctx.stdout.write(`  ${host.name}  ${host.address}  docker ${host.dockerSocket}${via}\n`);
  }
  ctx.stdout.write(`inventory: ${state.inventory} (-i box)\n`);
  ctx.stdout.write(
    `ssh: ssh -i ${state.clientKey} -o UserKnownHostsFile=${state.knownHosts} root@${state.hosts[0]?.address}\n`,
  );
}

/** `lab box install`: the prerequisites (or, with --print, only the command). */
async function boxInstall(
  ctx: CliContext,
  print: boolean,
  stateDirFlag: string | undefined,
): Promise<void> {
  const stateDir = parseStateDir(stateDirFlag, ctx);
  if (print) {
    ctx.stdout.write(
      `DEBIAN_FRONTEND=noninteractive sh -c '${(await boxModule()).installCommand()}'\n`,
    );
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new LabError('prerequisite', 'lab box install must run as root', {
      hint: 'sudo lab box install',
    });
  }
  const sys = await boxSystem(ctx);
  await (
    await boxModule()
  ).installPrerequisites(sys.runner, { echo: (text) => ctx.stdout.write(text) });
  // The Docker releases of `lab box up --engine`, fetched now so that no `up` waits for the network.
  for (const files of await (await boxModule()).prefetchEngines(sys, stateDir)) {
    ctx.stdout.write(`docker ${files.release} for --engine: ${files.dockerd} (${files.version})\n`);
  }
  if (await sys.engine.ping(MACHINE_DOCKER_SOCKET)) {
    // Not ours to stop; the box neither uses it nor minds it (see docs/box.md, firewall).
    ctx.stdout.write(
      `note: a Docker engine runs in the machine's own namespace (${MACHINE_DOCKER_SOCKET}); lab box install did not start it, and the box does not use it\n`,
    );
  }
}

/** `lab box status`: printed, and its exit code. */
async function boxStatus(
  ctx: CliContext,
  stateDirFlag: string | undefined,
  json: boolean,
): Promise<number> {
  const stateDir = parseStateDir(stateDirFlag, ctx);
  const sys = await boxSystem(ctx);
  const status = await (
    await boxModule()
  ).gatherStatus(sys, stateDir, await (await boxModule()).networkTools(sys));
  ctx.stdout.write(
    json ? JSON.stringify(status, null, 2) + '\n' : (await boxModule()).renderStatus(status),
  );
  // Scripts can test the exit code: 0 up and healthy, 3 anything else.
  return status.up && status.healthy ? ExitCode.ok : ExitCode.hostError;
}
