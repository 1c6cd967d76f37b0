import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { parseScenario } from './load.js';
import { MAX_PROBLEMS_SHOWN, ScenarioProblems } from './problems.js';

function caught(fn: () => unknown): LabError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('expected a LabError');
}

// issue 15, item 6: `drvier` and `not-reach` were one shown problem and one hidden behind a count.
const TWO_MISTAKES = `name: two
networks:
  - name: n1
    drvier: bridge
containers:
  - { name: a, host: server1, networks: [n1] }
  - { name: b, host: server1, networks: [n1] }
expect:
  - { from: a, not-reach: b, reason: isolated }
`;

describe('a scenario with several mistakes reports all of them, sorted by position', () => {
  it('drvier and not-reach: both shown, each with file:line:col, path, did-you-mean and hint', () => {
    const err = caught(() => parseScenario(TWO_MISTAKES, 'two.yaml'));
    expect(err).toBeInstanceOf(ScenarioProblems);
    expect(err.describe()).toBe(
      [
        '2 problems in two.yaml:',
        'two.yaml:4:5: networks[0].drvier: unknown key "drvier" (did you mean "driver"?)',
        '  hint: allowed here: name, driver, hosts, subnet, gateway, parent, options, attachable, internal',
        'two.yaml:9:16: expect[0].not-reach: unknown key "not-reach" (did you mean "not_reach"?)',
        '  hint: allowed here: from, reach, not_reach, reason, seed',
      ].join('\n'),
    );
  });

  it('--json carries every problem with its position', () => {
    const json = caught(() => parseScenario(TWO_MISTAKES, 'two.yaml')).toJSON() as unknown as {
      problems: { line: number; column: number; message: string }[];
      problemCount: number;
    };
    expect(json.problemCount).toBe(2);
    expect(json.problems.map((p) => `${p.line}:${p.column}`)).toEqual(['4:5', '9:16']);
  });

  it(`caps the list at ${MAX_PROBLEMS_SHOWN} and counts the rest`, () => {
    const nics = Array.from({ length: 25 }, (_, i) => `  - interface: ${i}\n`).join('');
    const err = caught(() => parseScenario(`name: x\nnics:\n${nics}`, 'x.yaml'));
    const text = err.describe();
    expect(text.split('\n')[0]).toBe('25 problems in x.yaml:');
    expect(text.match(/^x\.yaml:\d+:\d+: /gm)).toHaveLength(MAX_PROBLEMS_SHOWN);
    expect(text).toMatch(/\n… and 5 more problem\(s\) not shown$/);
    // Sorted by line: the first shown is nics[0], the last nics[19].
    expect(text).toMatch(/^x\.yaml:3:\d+: nics\[0\]/m);
    expect(text).toMatch(/^x\.yaml:22:\d+: nics\[19\]/m);
  });
});
