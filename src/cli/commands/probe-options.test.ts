import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../context.js';
import { main } from '../main.js';

async function help(argv: string[]): Promise<string> {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const ctx: CliContext = { stdout: sink, stderr: sink, env: {}, cwd: '/' };
  expect(await main([...argv, '--help'], ctx)).toBe(0);
  return text.replace(/\s+/g, ' ');
}

describe('the probing and report options lab run and lab check share', () => {
  it('are offered by both, each with its own wait and words', async () => {
    const run = await help(['run']);
    const check = await help(['check', 'connectivity']);
    for (const text of [run, check]) {
      for (const flag of ['--wait', '--ping-timeout', '--probe-image', '--json', '--html'])
        expect(text).toContain(flag);
      expect(text).toContain('Whole seconds one ping waits for its reply (1 to 60) [default: 1]');
    }
    expect(run).toMatch(/because these containers have only just started \[default: 10\]/);
    expect(check).toMatch(/lab run has just started them\) \[default: 5\]/);
    expect(run).toContain('Print the report as JSON instead of the task tree');
    expect(check).toContain('every cell explained');
  });
});
