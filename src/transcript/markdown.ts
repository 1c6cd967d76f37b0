/**
 * A run's events as a Markdown document in the seed's own form: each host's prompt, the exact command,
 * what it printed; what lab did, in the order it did it; what the hosts show afterwards; every
 * expectation with its ping and every assertion with its evidence; the verdict. Pure: events in, text
 * out.
 */
import { kindOf } from '../assert/kinds/index.js';
import { engineLabel } from '../docker/engines/index.js';
import type { AssertionResult } from '../plan/assertion-model.js';
import type { Plan } from '../plan/model.js';
import type { CheckResult } from '../probe/probe-result.js';
import type { RunEvent } from '../run/events.js';
import { describeTally, seedNote } from '../run/run-report.js';
import {
  engineRelease,
  OUTCOME_SYMBOL,
  OUTCOME_WORD,
  type DifferenceFields,
} from '../plan/claim-outcome.js';
import type { SeedClaim } from '../scenario/model-assert.js';

export interface TranscriptMeta {
  /** The scenario's description. */
  description: string;
  /** Where in the seed it comes from (the scenario file's first comment line). */
  source?: string;
  /** When the run started, as text (the caller's clock). */
  startedAt: string;
  /** The topology as a Mermaid flowchart (src/picture), shown where Markdown renders Mermaid. */
  mermaid?: string;
}

const WORD = OUTCOME_WORD;
const VERDICT_WORD = { ...WORD, 'bad-input': 'NOT RUN', interrupted: 'INTERRUPTED' } as const;
const MARK = OUTCOME_SYMBOL;

type Of<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function block(lines: string[]): string[] {
  // A fence longer than any backtick run inside keeps odd output from ending the block early.
  const longest = Math.max(
    2,
    ...lines.map((l) => (l.match(/`+/g) ?? []).reduce((m, r) => Math.max(m, r.length), 0)),
  );
  const fence = '`'.repeat(longest + 1);
  return [`${fence}console`, ...lines, fence];
}

function outputLines(text: string): string[] {
  const trimmed = text.replace(/\s+$/, '');
  return trimmed === '' ? [] : trimmed.split('\n');
}

export function renderTranscript(events: readonly RunEvent[], meta: TranscriptMeta): string {
  const started = events.find((e): e is Of<'run-started'> => e.type === 'run-started');
  const plan: Plan | undefined = started?.plan;
  const scenario = plan?.scenario ?? 'scenario';
  const prompt = (host: string) => {
    const user = plan?.hosts.find((h) => h.host === host)?.target.user ?? 'root';
    return `[${user}@${host} ~]${user === 'root' ? '#' : '$'}`;
  };
  const of = <T extends RunEvent['type']>(type: T) =>
    events.filter((e): e is Of<T> => e.type === type);
  const finished = of('run-finished')[0];
  const checks = of('check-done').map((e) => e.result);
  const assertions = of('assertion-done').map((e) => e.result);
  const out: string[] = [];

  out.push(...headerLines(scenario, meta, plan, finished));

  if (meta.mermaid) out.push('```mermaid', meta.mermaid.trimEnd(), '```', '');
  out.push(...hostsSection(of('host-ready'), of('host-failed')));

  const observed = (phase: 'before' | 'after' | 'checks') =>
    of('observation').filter((o) => o.phase === phase);
  const showObservations = (list: Of<'observation'>[]) => {
    for (const o of list) {
      out.push(`**${o.host}: ${o.title}**`, '');
      out.push(
        ...block([
          `${prompt(o.host)} ${o.command}`,
          ...outputLines(o.output),
          ...(o.exitCode !== 0 ? [`# (exit status ${o.exitCode ?? 'none'})`] : []),
        ]),
        '',
      );
    }
  };

  if (observed('before').length > 0) {
    out.push('## 2. Before', '');
    showObservations(observed('before'));
  }

  out.push('## 3. What lab did, in order', '');
  out.push(...stepsSection(of('step-done'), prompt));

  if (observed('after').length > 0) {
    out.push('## 4. What the hosts show now', '');
    showObservations(observed('after'));
  }

  out.push('## 5. Expectations', '');
  if (checks.length === 0) out.push('No reachability expectations in this scenario.', '');
  else {
    out.push('| | from | must | target | address | evidence |', '|---|---|---|---|---|---|');
    for (const c of checks) out.push(checkRow(c));
    out.push('');
    for (const c of checks) {
      out.push(`- **${c.check.id}** (${WORD[c.outcome]}): ${c.check.reason}`);
      out.push(...seedLines(c.check.seed, c.outcome, c, c.evidence).map((l) => `  ${l}`));
    }
    out.push('');
    showObservations(observed('checks'));
  }

  out.push('## 6. Assertions', '');
  if (assertions.length === 0) out.push('No assertions in this scenario.', '');
  for (const a of assertions) out.push(...assertionSection(a, prompt));

  out.push('## 7. Verdict', '');
  out.push(
    finished
      ? `**${VERDICT_WORD[finished.verdict]}**: ${describeTally(finished.tally)} hold${seedNote(finished.tally)}.`
      : 'The run did not finish.',
    '',
  );
  return `${out.join('\n')}\n`;
}

/** Section 1: each host's Docker, or why it was not ready. */
function hostsSection(ready: Of<'host-ready'>[], failed: Of<'host-failed'>[]): string[] {
  const out: string[] = [];
  out.push('## 1. The hosts, checked before anything changes', '');
  out.push('| host | engine | notes |', '|---|---|---|');
  for (const e of ready) {
    out.push(
      `| ${e.host} | ${engineLabel(e.engine)} (API ${e.engine.apiVersion}) | ${cell(e.notes.join('; ')) || '—'} |`,
    );
  }
  for (const e of failed) out.push(`| ${e.host} | — | **not ready**: ${cell(e.error.message)} |`);
  out.push('');
  return out;
}

/** The title, the run's source and description, and its hosts and verdict in brief. */
function headerLines(
  scenario: string,
  meta: TranscriptMeta,
  plan: Plan | undefined,
  finished: Of<'run-finished'> | undefined,
): string[] {
  const out: string[] = [];
  out.push(`# ${scenario}: a transcript`, '');
  if (meta.source) out.push(`*${meta.source}*`, '');
  if (meta.description) out.push(...meta.description.split('\n').map((l) => `> ${l}`), '');
  out.push(`- run: ${meta.startedAt}, with inventory \`${plan?.inventory ?? '?'}\``);
  out.push(
    `- hosts: ${(plan?.hosts ?? []).map((h) => `${h.host} (${h.target.address})`).join(', ') || 'none'}`,
  );
  if (finished) {
    out.push(
      `- verdict: **${VERDICT_WORD[finished.verdict]}**, ${describeTally(finished.tally)} hold${seedNote(finished.tally)} (${(finished.durationMs / 1000).toFixed(1)} s)`,
    );
  }
  out.push('');
  return out;
}

/** Section 3: each step's commands, or why it had nothing to do. */
function stepsSection(steps: Of<'step-done'>[], prompt: (host: string) => string): string[] {
  const out: string[] = [];
  if (steps.length === 0) out.push('Nothing: the run stopped before changing anything.', '');
  else {
    const lines: string[] = [];
    for (const e of steps) {
      const o = e.outcome;
      if (o.commands.length === 0) {
        lines.push(
          `# ${e.host}: ${o.step.id.split('/').slice(1).join(' ')} ${o.detail} (nothing to do)`,
        );
        continue;
      }
      for (const c of o.commands) lines.push(`${prompt(e.host)} ${c}`);
      lines.push(`# ${o.action}: ${o.detail}`);
    }
    out.push(...block(lines), '');
    out.push(
      'lab sends the Docker work through the Engine API; the `docker` commands above are exactly equivalent.',
      '',
    );
  }
  return out;
}

function checkRow(c: CheckResult): string {
  const must = c.check.expect === 'reach' ? 'reach' : 'not reach';
  return `| ${MARK[c.outcome]} ${WORD[c.outcome]} | ${c.check.from.container} (${c.check.from.host}) | ${must} | ${cell(c.check.to.label)} | ${c.address || '?'} | ${cell(c.evidence)} |`;
}

function assertionSection(a: AssertionResult, prompt: (host: string) => string): string[] {
  const where = kindOf(a.assertion).local ? '[lab machine]$' : prompt(a.assertion.host);
  return [
    `### ${MARK[a.outcome]} ${WORD[a.outcome]}: ${a.claim}`,
    '',
    `> ${a.assertion.reason}`,
    '',
    ...seedLines(a.assertion.seed, a.outcome, a, a.evidence).flatMap((l) => [l, '']),
    ...block([`${where} ${a.command}`, ...outputLines(a.output ?? '')]),
    '',
    `Observed: ${a.evidence}`,
    '',
  ];
}

/**
 * A claim of the seed, said with its check: the seed's words, how the host's engine differs when it
 * does otherwise than the seed's Docker, and that engine's side when the claim DIFFERS.
 */
function seedLines(
  seed: SeedClaim | undefined,
  outcome: string,
  r: DifferenceFields,
  evidence: string,
): string[] {
  const out: string[] = [];
  if (seed) {
    const words = seed.words ? `"${seed.words}" — ` : '';
    out.push(`The seed (${seed.section}) says: ${words}${seed.says}`);
  }
  if (outcome !== 'differs') return out;
  if (r.difference) out.push(`How it differs: ${r.difference}`);
  out.push(`**${engineRelease(r)} does otherwise:** ${cell(evidence)}`);
  return out;
}
