import type { Argv } from 'yargs';
import { CLOSE_GRACE_MS, untilInterrupted } from '../../common/interrupt.js';
import { ExitCode, type CliContext } from '../context.js';
import { parsePositiveInt, parseSeconds } from '../options.js';
import {
  lockWaitOption,
  withInventoryOption,
  withScenarioOptions,
  withSshOptions,
} from '../shared-options.js';

export function register(parser: Argv, ctx: CliContext, setExit: (code: number) => void): void {
  parser.command(
    'down <scenario>',
    'Remove exactly what `lab run` made for a scenario (found by labels) and restore each NIC it changed',
    downOptions,
    async (args) => downHandler(args, ctx, setExit),
  );
}

function downOptions(y: Argv) {
  return withSshOptions(withScenarioOptions(withInventoryOption(y)))
    .option('lock-wait', lockWaitOption)
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print what was removed as JSON',
    })
    .example('$0 down macvlan-two-nic -i box', 'clean the box of the two-NIC lab');
}

type DownArgs = Awaited<ReturnType<typeof downOptions>['argv']>;

async function downHandler(
  args: DownArgs,
  ctx: CliContext,
  setExit: (code: number) => void,
): Promise<void> {
  // Flags first: a bad one contacts no host.
  const concurrency = parsePositiveInt('concurrency', args.concurrency);
  const timeoutMs = parseSeconds('timeout', args.timeout);
  const { hostLocker } = await import('../host-lock.js');
  const lock = hostLocker(args['lock-wait'], ctx);
  // Loaded here, not at start-up: every command pays only for what it uses.
  const [
    { makeConnector, keepaliveOf },
    { downTargets, likelyDownTargets, scenarioNameOf, unknownScenarioError },
    { loadInventoryArg },
    { scenariosDir },
    { authGate, connectEarly },
  ] = await Promise.all([
    import('../connector.js'),
    import('../down-targets.js'),
    import('../inventory-arg.js'),
    import('../scenario-file.js'),
    import('../../run/early-connect.js'),
  ]);
  const inventory = await loadInventoryArg(args.inventory, ctx);
  const dir = scenariosDir(args, ctx);
  // As in lab run: the handshakes start while the teardown code loads, but no login happens
  // before the hosts to visit are known from valid input.
  const targetsKnown = authGate();
  const { connect, stats, knownHostsFile } = await makeConnector(
    {
      inventory,
      sshConfig: args['ssh-config'],
      knownHosts: args['known-hosts'],
      acceptNewHostKeys: args['accept-new-host-keys'],
      timeoutMs,
      keepalive: keepaliveOf({
        keepaliveInterval: args['keepalive-interval'],
        keepaliveCount: args['keepalive-count'],
      }),
      authGate: targetsKnown.promise,
    },
    ctx,
  );
  if (args['accept-new-host-keys']) {
    const { checkKnownHostsFiles } = await import('../known-hosts-file.js');
    await checkKnownHostsFiles(knownHostsFile, inventory);
  }
  const early = connectEarly(
    connect,
    await likelyDownTargets(args.scenario, inventory, dir),
    concurrency,
  );
  try {
    const [{ downExitCode, downScenario, renderDown }, targets] = await Promise.all([
      import('../../run/down.js'),
      opening(targetsKnown, downTargets(args.scenario, inventory, dir)),
    ]);
    const report = await downScenario(
      scenarioNameOf(args.scenario),
      targets,
      early.connect,
      concurrency,
      undefined,
      ctx.signal,
      lock,
    );
    const unknown = unknownScenarioError(args.scenario, dir, report);
    if (unknown) throw unknown;
    ctx.stdout.write(
      args.json ? `${JSON.stringify({ ...report, ssh: stats }, null, 2)}\n` : renderDown(report),
    );
    setExit(downExitCode(report, ExitCode));
  } finally {
    // After a Ctrl-C, a handshake given up on may not hold the exit up (as lab run does).
    await untilInterrupted(early.dispose(), ctx.signal, CLOSE_GRACE_MS);
  }
}

/** Opens the login gate once the targets are known, or refuses it with their error. */
function opening<T>(
  gate: { resolve: () => void; reject: (e: unknown) => void },
  targets: Promise<T>,
): Promise<T> {
  return targets.then(
    (t) => {
      gate.resolve();
      return t;
    },
    (err: unknown) => {
      gate.reject(err);
      throw err;
    },
  );
}
