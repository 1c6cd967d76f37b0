/**
 * docs/transcripts/README.md from `lab run --all --json`: per scenario, its verdict, the Docker it
 * ran on, and how each claim of the seed came out, with a link to its transcript
 * (scripts/docs-transcripts.ts writes it; test/unit/transcripts.test.ts reads it).
 */
interface ClaimJson {
  outcome: string;
  claim?: string;
  from?: { container: string };
  to?: { label: string };
  expect?: string;
  seed?: { section: string; says: string };
}

export interface SuiteJson {
  scenarios: {
    scenario: string;
    verdict: string;
    hosts?: { host: string; engine?: string }[];
    checks?: ClaimJson[];
    assertions?: ClaimJson[];
  }[];
}

const WORD: Record<string, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  differs: 'DIFFERS FROM THE SEED',
};

function what(c: ClaimJson): string {
  if (c.claim) return c.claim;
  const must = c.expect === 'reach' ? 'reaches' : 'does not reach';
  return `${c.from?.container ?? '?'} ${must} ${c.to?.label ?? '?'}`;
}

export function transcriptsIndex(suite: SuiteJson): string {
  const out = [
    '# Transcripts of the seed’s labs, from a real run on the box',
    '',
    'Written by `scripts/docs-transcripts.ts` (`lab run --all -i box --transcript-dir docs/transcripts`);',
    'each transcript is the seed’s document written again from what the hosts did and answered.',
    'The claims of the seed ([register](../seed-claims.md)) came out like this:',
    '',
  ];
  const counts: Record<string, number> = {};
  for (const s of suite.scenarios) {
    const engines = [...new Set((s.hosts ?? []).map((h) => h.engine ?? '?'))].join(', ');
    out.push(
      `## [${s.scenario}](${s.scenario}.md): ${WORD[s.verdict] ?? s.verdict.toUpperCase()}`,
      '',
    );
    out.push(`Docker ${engines || '?'}.`, '');
    const claims = [...(s.checks ?? []), ...(s.assertions ?? [])].filter((c) => c.seed);
    if (claims.length === 0) out.push('No claims of the seed.', '');
    for (const c of claims) {
      counts[c.outcome] = (counts[c.outcome] ?? 0) + 1;
      out.push(`- ${WORD[c.outcome] ?? c.outcome} (${c.seed?.section}): ${what(c)}`);
    }
    out.push('');
  }
  const total = Object.entries(counts)
    .map(([o, n]) => `${n} ${WORD[o] ?? o}`)
    .join(', ');
  out.push(`In all, checks of claims of the seed: ${total || 'none'}.`, '');
  return out.join('\n');
}
