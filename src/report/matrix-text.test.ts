import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../test/fakes/connectivity-report.js';
import { renderMatrix, SYMBOLS } from './matrix-text.js';
import { makeStyle } from './style.js';

describe('renderMatrix', () => {
  const r = sampleReport();
  const input = { sources: r.matrix.sources, targets: r.matrix.targets, results: r.results };

  it('rows of sources, numbered target columns, one symbol per cell, readable without colour', () => {
    const text = renderMatrix(input, makeStyle(false));
    expect(text.includes('\u001b[')).toBe(false);
    const lines = text.split('\n');
    expect(lines[0]).toBe('               1  2  3  4  5  6  7  8');
    expect(lines[1]).toBe(`vm4@server1    ${SYMBOLS.none}  ${SYMBOLS.fail}  ○  ○  ○  ○  ○  ○`);
    expect(lines[2]).toBe('vm5@server2    ●  ·  ○  ○  ○  ○  ○  ○');
    expect(lines[4]).toBe('vm7@server2    ○  ○  ●  ·  ○  ○  !  ○');
    expect(text).toContain('  1  vm4 198.19.1.10  (mac_net1 on server1)');
    expect(text).toContain('  5  gateway 198.19.1.1  (mac_net1, macvlan)');
    expect(text).toContain('  7  server1 198.18.0.1');
    expect(text).toMatch(/● reaches, as expected {3}○ does not reach, as expected {3}✘ FAIL/);
  });

  it('colours symbols only when asked', () => {
    const text = renderMatrix(input, makeStyle(true));
    expect(text).toContain('\u001b[31m✘\u001b[39m');
    expect(text).toContain('\u001b[33m!\u001b[39m');
  });

  it('continues columns that do not fit in a second block', () => {
    const text = renderMatrix(input, makeStyle(false), 30);
    const headers = text.split('\n').filter((l) => /^\s+\d+(\s+\d+)*$/.test(l));
    expect(headers).toEqual(['               1  2  3  4  5', '               6  7  8']);
  });
});
