import type { Argv } from 'yargs';
import type { LabError } from '../../common/errors.js';
import type { SshTarget } from '../../ssh/target.js';
import type { SshStats } from '../../ssh/stats.js';
import { valueText } from '../../inventory/value.js';
import type { Inventory } from '../../inventory/model.js';
import type { ConnectivityReport } from '../../probe/connectivity-model.js';
import type { RoundTrips } from '../../report/connectivity-text.js';
import type { Scenario } from '../../scenario/model.js';
import { ExitCode, type CliContext } from '../context.js';
import {
  numberOption,
  withInventoryOption,
  withProbeOptions,
  withSshOptions,
} from '../shared-options.js';
import { parsePortsFlag, PORTS_HELP } from '../ports-option.js';
import type { PortSelection } from '../../probe/port-targets.js';
import type { Policy } from '../../scenario/policy.js';
import type { ContainerSelector } from '../../scenario/selector.js';
import { DEFAULT_PROBE_IMAGE } from '../../probe/probe-image.js';

export function register(parser: Argv, ctx: CliContext, setExit: (code: number) => void): void {
  parser.command(
    'check',
    'Verify what is deployed right now',
    (y) =>
      y
        .command(
          'connectivity',
          'The reachability matrix of every container lab deployed (or --select: any containers), each cell probed and explained',
          connectivityOptions,
          async (args) => checkConnectivityHandler(args, ctx, setExit),
        )
        .demandCommand(1, 'Name what to check: `lab check connectivity`'),
    () => undefined,
  );
}

function connectivityOptions(c: Argv) {
  return withProbeOptions(withSshOptions(withInventoryOption(c)), {
    wait: {
      seconds: 5,
      describe:
        'Seconds a "must reach" cell may keep trying (0 to 3600; 0: try once); shorter than lab run\'s 10 because the containers already run (lab run has just started them)',
    },
    probeImage: `Image of the probers (default: the inventory's \`image\` variable, else ${DEFAULT_PROBE_IMAGE})`,
    json: 'Print the report as JSON',
    html: 'Also write a self-contained HTML page: the topology and the matrix as a heatmap, every cell explained',
  })
    .option('scenario', {
      type: 'string',
      describe: "Only this scenario's containers; its own expectations override the derived ones",
    })
    .option('network', { type: 'string', describe: 'Only containers on this network' })
    .option('select', {
      type: 'string',
      array: true,
      describe:
        'Check containers lab did not make, read-only: label=KEY[=VALUE], name=PATTERN (* and ?) or network=NAME (repeatable: one kind given twice matches either, different kinds must all match)',
    })
    .option('policy', {
      type: 'string',
      describe:
        'A policy file (YAML): what should reach what, by label, name pattern or network; its expectations replace the derived ones',
    })
    .option('host', {
      type: 'string',
      array: true,
      describe: 'Only probe from containers on these hosts or groups (repeatable)',
    })
    .option('names', {
      type: 'boolean',
      default: true,
      describe: 'Probe container names too (--no-names: addresses only)',
    })
    .option('ports', { type: 'string', describe: PORTS_HELP })
    .option('per-host', numberOption(32, 'Probers started at once on one host (1 to 1000)'))
    .option('junit', {
      type: 'string',
      describe: 'Also write a JUnit XML file, one test case per cell',
    })
    .option('strict-seed', {
      type: 'boolean',
      default: false,
      describe:
        "Exit 1 when a cell of a claim of the seed (seed: in the --scenario's expectations) is not borne out by the Docker on the hosts; by default it is reported as DIFFERS FROM THE SEED and exits 0",
    })
    .option('var', {
      type: 'string',
      array: true,
      describe: 'Override a scenario variable: --var key=value (with --scenario)',
    })
    .option('scenarios', {
      type: 'string',
      describe: 'Directory of scenarios (default ./scenarios, else those shipped with lab)',
    })
    .example('$0 check connectivity -i box', 'everything lab deployed on the box')
    .example(
      '$0 check connectivity -i box --scenario macvlan-two-nic --junit check.xml',
      'one scenario, with its own expectations, and a JUnit report',
    )
    .example(
      '$0 check connectivity -i hosts.ini --select label=com.docker.compose.project=shop --policy shop-policy.yaml',
      'a compose project lab did not deploy, against a policy',
    )
    .epilog(
      'Exit codes: 0 every cell as expected (cells of claims of the seed that this Docker does not bear out included, unless --strict-seed), 1 a cell was not, 2 bad input or nothing to check, 3 a host or probe error (also when cells failed too), 130 interrupted.',
    );
}

type ConnectivityArgs = Awaited<ReturnType<typeof connectivityOptions>['argv']>;

async function checkConnectivityHandler(
  args: ConnectivityArgs,
  ctx: CliContext,
  setExit: (code: number) => void,
): Promise<void> {
  const { codeAfterReport } = await import('../report-file.js');
  const input = await readCheckInput(args, ctx);
  const { report, trips } = await probeConnectivity(args, ctx, input);
  const exitCode = exitCodeOf(report, ctx.signal?.aborted === true, args['strict-seed']);
  const { connectivityToJson } = await import('../../report/connectivity-json.js');
  const document = (code: number) =>
    connectivityToJson(report, { exitCode: code, roundTrips: trips.roundTrips, ssh: trips.ssh });
  const writeError = await writeCheckReports(input, report, () => document(exitCode), {
    strictSeed: args['strict-seed'],
  });
  if (args.json) {
    const code = codeAfterReport(exitCode, writeError);
    ctx.stdout.write(
      `${JSON.stringify({ ...(document(code) as object), ...(writeError && { reportError: writeError.toJSON() }) }, null, 2)}\n`,
    );
  } else {
    const [{ renderConnectivity, interruptedCheckLine }, { makeStyle }, { useColour }] =
      await Promise.all([
        import('../../report/connectivity-text.js'),
        import('../../report/style.js'),
        import('../colour.js'),
      ]);
    const text = renderConnectivity(
      report,
      trips.roundTrips,
      makeStyle(useColour(ctx)),
      ctx.stdout.columns ?? 120,
    );
    // Interrupted: the last line says so in place of the verdict of the cells judged so far.
    ctx.stdout.write(
      exitCode === ExitCode.interrupted
        ? `${text.trimEnd().split('\n').slice(0, -1).join('\n')}\n${interruptedCheckLine(report)}\n`
        : text,
    );
    if (exitCode === ExitCode.badInput)
      ctx.stderr.write(nothingToCheck(args.network, input.scenarioName, args.select));
  }
  // The matrix is printed whatever happened to the JUnit file; a write error comes after it.
  if (writeError) ctx.stderr.write(`lab: ${writeError.describe()}\n`);
  setExit(codeAfterReport(exitCode, writeError));
}

/** Everything the check needs from its flags, read and checked before any host is touched. */
interface CheckInput {
  inventory: Inventory;
  junitPath: string | undefined;
  htmlFile: string | undefined;
  timeoutMs: number;
  waitMs: number;
  ports: PortSelection;
  sourceHosts: string[] | undefined;
  scenario: Scenario | undefined;
  scenarioName: string | undefined;
  select: ContainerSelector[] | undefined;
  policy: Policy | undefined;
  hosts: { target: SshTarget; probeImage: string }[];
  /** The inventory's lab_outside_address, when it names one. */
  outsideAddress: string | undefined;
}

async function readCheckInput(args: ConnectivityArgs, ctx: CliContext): Promise<CheckInput> {
  // Loaded here, not at start-up: every command pays only for what it uses.
  const [
    { checkReportPath },
    { sshTarget },
    { loadInventoryArg },
    { selectHosts },
    { parseSeconds },
  ] = await Promise.all([
    import('../report-file.js'),
    import('../../plan/ssh-target.js'),
    import('../inventory-arg.js'),
    import('../../inventory/select.js'),
    import('../options.js'),
  ]);
  const inventory = await loadInventoryArg(args.inventory, ctx);
  // Checked before any host is touched: a report that cannot be written must not cost a check.
  const junitPath =
    args.junit !== undefined ? await checkReportPath('junit', args.junit, ctx.cwd) : undefined;
  // Opened for writing once, as it will be: a page that cannot be written is bad input.
  const htmlFile =
    args.html !== undefined ? await checkReportPath('html', args.html, ctx.cwd) : undefined;
  const timeoutMs = parseSeconds('ping-timeout', args['ping-timeout']);
  const waitMs = parseSeconds('wait', args.wait);
  const ports = parsePortsFlag(args.ports);
  const sourceHosts = args.host ? selectHosts(inventory, args.host) : undefined;
  const { select, policy } = await readSelectAndPolicy(args, ctx.cwd);
  const scenario = args.scenario
    ? await loadScenarioIfAny(args.scenario, args, inventory, ctx)
    : undefined;
  const scenarioName =
    scenario?.name ?? args.scenario?.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  const hostNames = scenario ? scenario.hosts : inventory.hosts.map((h) => h.name);
  const hosts = inventory.hosts
    .filter((h) => hostNames.includes(h.name))
    .map((h) => ({
      target: sshTarget(h),
      probeImage:
        args['probe-image'] ??
        (h.vars['image'] === undefined ? undefined : valueText(h.vars['image'])) ??
        DEFAULT_PROBE_IMAGE,
    }));
  return {
    inventory,
    junitPath,
    htmlFile,
    timeoutMs,
    waitMs,
    ports,
    sourceHosts,
    scenario,
    scenarioName,
    select,
    policy,
    hosts,
    outsideAddress: inventoryOutsideAddress(inventory),
  };
}

/** `lab_outside_address` as the inventory gives it (a group's or a host's variable). */
function inventoryOutsideAddress(inventory: Inventory): string | undefined {
  for (const h of inventory.hosts) {
    const v = h.vars['lab_outside_address'];
    if (v !== undefined) return valueText(v);
  }
  return undefined;
}

/** `--select` and `--policy`, checked before any host is touched. */
async function readSelectAndPolicy(
  args: {
    select?: string[] | undefined;
    policy?: string | undefined;
    scenario?: string | undefined;
  },
  cwd: string,
): Promise<{ select: ContainerSelector[] | undefined; policy: Policy | undefined }> {
  const [{ LabError }, { parseSelectText }, { loadPolicyFile }, path] = await Promise.all([
    import('../../common/errors.js'),
    import('../../scenario/selector.js'),
    import('../../scenario/policy.js'),
    import('node:path'),
  ]);
  if (args.select && args.scenario !== undefined) {
    throw new LabError('input', '--select and --scenario choose containers two ways: give one', {
      hint: '--scenario checks what lab deployed for a scenario; --select checks any containers by label, name or network',
    });
  }
  const select = args.select?.map((text) => {
    const parsed = parseSelectText(text);
    if (typeof parsed === 'string') {
      throw new LabError('input', `--select ${text}: ${parsed}`, {
        hint: 'for example --select label=com.docker.compose.project=shop, --select name=shop-*, --select network=shop_back',
      });
    }
    return parsed;
  });
  const policy =
    args.policy === undefined
      ? undefined
      : await loadPolicyFile(path.resolve(cwd, args.policy)).then((p) => ({
          ...p,
          // Named as the user wrote it, in every verdict's reason.
          file: args.policy ?? p.file,
          rules: p.rules.map((r) => ({ ...r, file: args.policy ?? r.file })),
        }));
  return { select, policy };
}

/** Connects to the hosts and probes the matrix; the report and what it cost in round trips. */
async function probeConnectivity(
  args: ConnectivityArgs,
  ctx: CliContext,
  input: CheckInput,
): Promise<{
  report: ConnectivityReport;
  trips: { roundTrips: RoundTrips; ssh: SshStats };
}> {
  const [
    { randomBytes },
    { checkConnectivity },
    { apiRequests, totalCalls },
    { makeConnector, keepaliveOf },
    { parsePositiveInt, parseSeconds },
    { outsideOf },
  ] = await Promise.all([
    import('node:crypto'),
    import('../../probe/connectivity.js'),
    import('../../docker/counting-client.js'),
    import('../connector.js'),
    import('../options.js'),
    import('../outside-prober.js'),
  ]);
  const { inventory, scenario, scenarioName, timeoutMs, waitMs, ports, sourceHosts } = input;
  const { connect, stats, knownHostsFile } = await makeConnector(
    {
      inventory,
      sshConfig: args['ssh-config'],
      knownHosts: args['known-hosts'],
      acceptNewHostKeys: args['accept-new-host-keys'],
      timeoutMs: parseSeconds('timeout', args.timeout),
      keepalive: keepaliveOf({
        keepaliveInterval: args['keepalive-interval'],
        keepaliveCount: args['keepalive-count'],
      }),
    },
    ctx,
  );
  if (args['accept-new-host-keys']) {
    const { checkKnownHostsFiles } = await import('../known-hosts-file.js');
    await checkKnownHostsFiles(knownHostsFile, inventory);
  }
  const report = await checkConnectivity(input.hosts, connect, {
    ...(scenarioName !== undefined && { scenarioName }),
    ...(scenario && { scenario }),
    ...(input.select && { select: input.select }),
    ...(input.policy && { policy: input.policy }),
    ...(args.network !== undefined && { network: args.network }),
    ...(sourceHosts && { sourceHosts }),
    names: args.names,
    ports,
    timeoutSeconds: timeoutMs / 1000,
    waitMs,
    hostConcurrency: parsePositiveInt('concurrency', args.concurrency),
    perHost: parsePositiveInt('per-host', args['per-host']),
    runId: randomBytes(4).toString('hex'),
    ...(ctx.signal && { signal: ctx.signal }),
    ...(input.outsideAddress !== undefined && { outside: outsideOf(input.outsideAddress) }),
  });
  const roundTrips: RoundTrips = {
    sshConnections: stats.connectionsOpened,
    sshCommands: stats.commandsRun,
    dockerCalls: totalCalls(report.dockerCalls),
    dockerRequests: apiRequests(report.dockerCalls),
    probers: report.probers,
  };
  return { report, trips: { roundTrips, ssh: stats } };
}

/** Writes the JUnit file and the HTML page asked for; the first failure to write, never thrown. */
async function writeCheckReports(
  input: CheckInput,
  report: ConnectivityReport,
  document: () => unknown,
  junit: { strictSeed: boolean },
): Promise<LabError | undefined> {
  const [{ writeReport }, { connectivityToJunit }] = await Promise.all([
    import('../report-file.js'),
    import('../../report/junit.js'),
  ]);
  const junitError =
    input.junitPath !== undefined
      ? await writeReport(
          'JUnit report',
          input.junitPath,
          connectivityToJunit(report, new Date().toISOString(), junit),
        )
      : undefined;
  const htmlError =
    input.htmlFile !== undefined
      ? await writeReport(
          'HTML report',
          input.htmlFile,
          await (
            await import('../html-report.js')
          ).htmlReport(document(), 'lab check connectivity'),
        )
      : undefined;
  return junitError ?? htmlError;
}

/** With both FAIL and ERROR cells, ERROR wins: the matrix is incomplete, so its verdict is too. */
export function exitCodeOf(
  report: ConnectivityReport,
  aborted: boolean,
  strictSeed = false,
): number {
  if (aborted) return ExitCode.interrupted;
  if (report.verdict === 'error') return ExitCode.hostError;
  if (report.results.length === 0) return ExitCode.badInput;
  if (report.verdict === 'differs' && strictSeed) return ExitCode.expectationFailed;
  return report.verdict === 'fail' ? ExitCode.expectationFailed : ExitCode.ok;
}

function nothingToCheck(
  network: string | undefined,
  scenario: string | undefined,
  select: string[] | undefined,
): string {
  if (select) {
    return `lab: nothing to check: no running container matches --select ${select.join(' --select ')}${network !== undefined ? ` on network ${network}` : ''}\n  hint: \`docker ps --filter label=KEY=VALUE\` on a host shows what a label selects\n`;
  }
  const filters = [
    scenario !== undefined && `scenario ${scenario}`,
    network !== undefined && `network ${network}`,
  ].filter(Boolean);
  return `lab: nothing to check: no running container lab deployed${filters.length ? ` matches ${filters.join(', ')}` : ''}\n  hint: \`lab run SCENARIO -i INV\` deploys one; \`lab ls\` lists the scenarios\n`;
}

/**
 * The scenario file, resolved against the inventory, when there is one; none when its name names no
 * file (containers are still found by their label). A file that exists but does not load is an error.
 */
async function loadScenarioIfAny(
  name: string,
  args: { scenarios?: string | undefined; var?: string[] | undefined },
  inventory: Inventory,
  ctx: CliContext,
): Promise<Scenario | undefined> {
  const [
    { isLabError },
    { findScenario, loadScenarioFile, resolveScenario },
    { scenariosDir },
    { parseVarFlags },
  ] = await Promise.all([
    import('../../common/errors.js'),
    import('../../scenario/index.js'),
    import('../scenario-file.js'),
    import('../options.js'),
  ]);
  let file: string;
  try {
    file = findScenario(name, scenariosDir(args, ctx));
  } catch (err) {
    if (!isLabError(err)) throw err;
    ctx.stderr.write(
      `lab: note: no scenario file for ${name}; checking containers labelled lab.scenario=${name} with derived expectations only\n`,
    );
    return undefined;
  }
  return resolveScenario(await loadScenarioFile(file), inventory, parseVarFlags(args.var));
}
