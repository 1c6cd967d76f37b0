/**
 * `lab run --all -i INV`: every scenario of the scenarios directory, in name order, each followed by
 * `lab down`, then one summary table. A scenario that does not load counts as bad input and the
 * others still run; the exit code is the worst of them.
 */
import { hostLocker } from './host-lock.js';
import path from 'node:path';
import { LabError, isLabError, errorText } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import { topologyOfPlan } from '../picture/from-plan.js';
import { didYouMean, listOrNone } from '../scenario/suggest.js';
import { renderSuiteTable } from '../report/suite-table.js';
import { renderVerdict, reportToJson } from '../report/verdict.js';
import { downFailures, downScenario, renderDown } from '../run/down.js';
import { listScenarios, type ScenarioSummary } from '../scenario/index.js';
import { runAll, worstExitCode, type SuiteVerdict } from '../suite/run-all.js';
import { ExitCode, type CliContext } from './context.js';
import { keepaliveOf, makeConnector } from './connector.js';
import { downTargets } from './down-targets.js';
import { loadInventoryArg } from './inventory-arg.js';
import { parsePositiveInt, parseSeconds, parseVarFlags } from './options.js';
import { codeAfterReport, writeReport } from './report-file.js';
import { scenariosDir } from './scenario-file.js';
import {
  downCommandOf,
  interruptedBeforePlan,
  runScenario,
  type RunFlags,
} from './run-scenario.js';
import type { RunVerdict } from '../run/run-report.js';

const SUITE_VERDICT: Record<RunVerdict, SuiteVerdict> = {
  pass: 'pass',
  differs: 'differs',
  fail: 'fail',
  error: 'error',
  'bad-input': 'bad input',
  interrupted: 'interrupted',
};

export async function runAllCommand(
  flags: Omit<RunFlags, 'scenario'> & {
    /** Absolute, checked writable by checkReportPath before anything ran. */
    transcriptFile?: string | undefined;
    /** One transcript per scenario, DIR/SCENARIO.md; checked writable by checkReportDir. */
    transcriptDir?: string | undefined;
    /** Checked writable already, by checkReportPath. */
    htmlFile?: string | undefined;
  },
  ctx: CliContext,
): Promise<number> {
  const dir = scenariosDir(flags, ctx);
  const list = await listScenarios(dir);
  const names = list.map((s) => s.name);
  const inventory = await loadInventoryArg(flags.inventory, ctx);
  checkVarsUsedBySome(parseVarFlags(flags.var), list, inventory);
  const transcripts: { scenario: string; text: string }[] = [];
  const json: unknown[] = [];
  const say = (text: string) => {
    if (!flags.json) ctx.stdout.write(text);
  };
  const started = Date.now();
  const entries = await runAll(names, {
    now: () => Date.now(),
    stopped: () => ctx.signal?.aborted === true,
    onStart: (s, i, n) => say(`\n=== ${s} (${i + 1} of ${n}) ===\n`),
    async run(scenario) {
      try {
        const outcome = await runScenario({ ...flags, scenario, unknownVars: 'ignore' }, ctx);
        if (outcome.transcript) transcripts.push({ scenario, text: outcome.transcript });
        json.push(reportToJson(outcome.report, { topology: topologyOfPlan(outcome.plan) }));
        say(renderVerdict(outcome.report, { downCommand: downCommandOf({ ...flags, scenario }) }));
        const { verdict, tally } = outcome.report;
        return {
          code: outcome.code,
          verdict: SUITE_VERDICT[verdict],
          held: tally.expectations.held + tally.assertions.held,
          total: tally.expectations.total + tally.assertions.total,
        };
      } catch (err) {
        if (!isLabError(err)) throw err;
        return notRun(err, scenario, say, json);
      }
    },
    down: (scenario) => downOne(scenario, inventory, dir, flags, ctx, say),
  });
  const skipped = names.slice(entries.length);
  const totalMs = Date.now() - started;
  const document = { scenarios: json, summary: entries, durationMs: totalMs };
  // The summary is printed whatever happens to the reports; a write error comes after it.
  const transcriptError = await writeTranscripts(flags, transcripts);
  const htmlError =
    flags.htmlFile !== undefined
      ? await writeReport(
          'HTML report',
          flags.htmlFile,
          await (await import('./html-report.js')).htmlReport(document, 'lab run --all'),
        )
      : undefined;
  const writeError = transcriptError ?? htmlError;
  ctx.stdout.write(
    flags.json
      ? `${JSON.stringify(
          { ...document, ...(writeError && { reportError: writeError.toJSON() }) },
          null,
          2,
        )}\n`
      : `\n${renderSuiteTable(entries, totalMs, skipped)}`,
  );
  if (writeError) ctx.stderr.write(`lab: ${writeError.describe()}\n`);
  return codeAfterReport(
    suiteExitCode(entries, skipped.length > 0 || ctx.signal?.aborted === true),
    writeError,
  );
}

/** A scenario that did not run: stopped while it was read and planned, or refused as bad input. */
function notRun(err: LabError, scenario: string, say: (text: string) => void, json: unknown[]) {
  const line = interruptedBeforePlan(err);
  if (line !== undefined) {
    say(`\n${line}\n`);
    json.push({ scenario, verdict: 'interrupted', error: line });
    return { code: ExitCode.interrupted, verdict: 'interrupted' as const, held: 0, total: 0 };
  }
  say(`! ${err.describe().split('\n').join('\n  ')}\n`);
  json.push({ scenario, verdict: 'bad input', error: err.message });
  return { code: ExitCode.badInput, verdict: 'bad input' as const, held: 0, total: 0 };
}

/** --transcript FILE (all in one) and --transcript-dir DIR (DIR/SCENARIO.md each): the first failure. */
async function writeTranscripts(
  flags: { transcriptFile?: string | undefined; transcriptDir?: string | undefined },
  transcripts: readonly { scenario: string; text: string }[],
): Promise<LabError | undefined> {
  const writes: [string, string][] = [];
  if (flags.transcriptFile !== undefined)
    writes.push([flags.transcriptFile, transcripts.map((t) => t.text).join('\n---\n\n')]);
  const dir = flags.transcriptDir;
  if (dir !== undefined)
    for (const t of transcripts) writes.push([path.join(dir, `${t.scenario}.md`), t.text]);
  for (const [file, text] of writes) {
    const failed = await writeReport('transcript', file, text);
    if (failed) return failed;
  }
  return undefined;
}

/** Interrupted anywhere (a run, or a teardown, even the last one): never 0, never "all clean". */
function suiteExitCode(entries: Parameters<typeof worstExitCode>[0], interrupted: boolean): number {
  const worst = worstExitCode(entries, { hostError: ExitCode.hostError });
  return interrupted ? Math.max(worst, ExitCode.interrupted) : worst;
}

/** `lab down` after one scenario of the suite, as a summary-table cell. */
async function downOne(
  scenario: string,
  inventory: Inventory,
  dir: string,
  flags: Omit<RunFlags, 'scenario'>,
  ctx: CliContext,
  say: (text: string) => void,
): Promise<{ ok: boolean; detail: string }> {
  try {
    const { connect } = await makeConnector(
      {
        inventory,
        sshConfig: flags.sshConfig,
        knownHosts: flags.knownHosts,
        acceptNewHostKeys: flags.acceptNewHostKeys,
        timeoutMs: parseSeconds('timeout', flags.timeout),
        keepalive: keepaliveOf(flags),
      },
      ctx,
    );
    const report = await downScenario(
      scenario,
      await downTargets(scenario, inventory, dir),
      connect,
      parsePositiveInt('concurrency', flags.concurrency),
      undefined,
      ctx.signal,
      hostLocker(flags.lockWait, ctx),
    );
    say(renderDown(report));
    const failed = downFailures(report);
    return failed.length === 0
      ? { ok: true, detail: 'clean' }
      : {
          ok: false,
          detail: report.interrupted
            ? `interrupted, not clean: ${failed.join(', ')}`
            : `could not clean ${failed.join(', ')}`,
        };
  } catch (err) {
    return { ok: false, detail: errorText(err) };
  }
}

/** `lab run --all --dry-run`: every scenario's plan, one after the other; nothing is contacted. */
export async function planAllCommand(
  flags: {
    inventory: string | readonly string[];
    var?: string[] | undefined;
    scenarios?: string | undefined;
  },
  ctx: CliContext,
): Promise<number> {
  const [{ renderPlan }, { renderAssertionPlan }, { loadPlanInputs }] = await Promise.all([
    import('../plan/render.js'),
    import('../assert/render.js'),
    import('./plan-inputs.js'),
  ]);
  let code: number = ExitCode.ok;
  for (const { name } of await listScenarios(scenariosDir(flags, ctx))) {
    try {
      const { plan } = await loadPlanInputs({ ...flags, scenario: name }, ctx);
      ctx.stdout.write(`${renderPlan(plan)}${renderAssertionPlan(plan.assertions)}\n`);
    } catch (err) {
      if (!isLabError(err)) throw err;
      ctx.stdout.write(`! ${name}: ${err.describe().split('\n').join('\n  ')}\n\n`);
      code = ExitCode.badInput;
    }
  }
  return code;
}

/** `lab run --all --var x=1`: x must be a variable of at least one scenario (or the inventory's). */
function checkVarsUsedBySome(
  cliVars: Record<string, string>,
  list: readonly ScenarioSummary[],
  inventory: Inventory,
): void {
  const known = new Set([
    ...Object.keys(inventory.groups['all']?.vars ?? {}),
    ...list.flatMap((s) => s.variables ?? []),
  ]);
  for (const name of Object.keys(cliVars)) {
    if (known.has(name)) continue;
    const names = [...known].sort();
    throw new LabError(
      'input',
      `--var ${name}: no scenario in the run and not the inventory's [all:vars] defines ${name}${didYouMean(name, names)}`,
      { hint: `variables you can set: ${listOrNone(names)}` },
    );
  }
}
