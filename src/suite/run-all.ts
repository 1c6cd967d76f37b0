/**
 * `lab run --all`: every scenario in turn, each torn down before the next starts (they share NICs,
 * subnets and names), and one entry per scenario for the summary. The running, tearing down and
 * clock are given: this file only decides the order and what to record.
 */
export type SuiteVerdict = 'pass' | 'differs' | 'fail' | 'error' | 'bad input' | 'interrupted';

export interface SuiteEntry {
  scenario: string;
  verdict: SuiteVerdict;
  /** The exit code `lab run SCENARIO` would have had. */
  code: number;
  held: number;
  total: number;
  runMs: number;
  /** How `lab down` went: clean, or what it could not do. */
  down: { ok: boolean; detail: string; ms: number };
}

export interface SuiteDeps {
  run(
    scenario: string,
  ): Promise<{ code: number; verdict: SuiteVerdict; held: number; total: number }>;
  down(scenario: string): Promise<{ ok: boolean; detail: string }>;
  now(): number;
  /** True once the user asked to stop: no further scenario starts. */
  stopped(): boolean;
  /** Told as each scenario starts and ends (progress for a person watching). */
  onStart?(scenario: string, index: number, count: number): void;
  onDone?(entry: SuiteEntry): void;
}

export async function runAll(scenarios: readonly string[], deps: SuiteDeps): Promise<SuiteEntry[]> {
  const entries: SuiteEntry[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    if (deps.stopped()) break;
    deps.onStart?.(scenario, i, scenarios.length);
    const started = deps.now();
    const r = await deps.run(scenario);
    const runMs = deps.now() - started;
    // Torn down whatever the verdict: the next scenario needs the hosts clean.
    const downStarted = deps.now();
    const d = await deps.down(scenario);
    const entry: SuiteEntry = {
      scenario,
      verdict: r.verdict,
      code: r.code,
      held: r.held,
      total: r.total,
      runMs,
      down: { ...d, ms: deps.now() - downStarted },
    };
    entries.push(entry);
    deps.onDone?.(entry);
  }
  return entries;
}

/**
 * The suite's exit code: the worst of the scenarios' (interrupted > host error > bad input >
 * expectation failed > ok, which is also their numeric order), and a host error when a teardown failed.
 */
export function worstExitCode(
  entries: readonly SuiteEntry[],
  codes: { hostError: number },
): number {
  let worst = 0;
  for (const e of entries) {
    worst = Math.max(worst, e.code);
    if (!e.down.ok) worst = Math.max(worst, codes.hostError);
  }
  return worst;
}
