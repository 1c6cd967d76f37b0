import { describe, expect, it } from 'vitest';
import { bigCheck } from '../../test/fakes/big-check.js';
import { sampleReport } from '../../test/fakes/connectivity-report.js';
import { connectivityToJson } from '../report/connectivity-json.js';
import { reportOf } from './from-documents.js';
import { DECODE_JS, encodeMatrix } from './heatmap-data.js';
import { identifyReport } from './report-documents.js';

interface Decoded {
  n: number;
  s: Int32Array;
  t: Int32Array;
  o: string;
  x: string;
  detail(i: number): { address: string; reason: string; observed: string; reproduce: string };
}

function sectionOf(report: ReturnType<typeof sampleReport>) {
  const json = JSON.parse(
    JSON.stringify(
      connectivityToJson(report, {
        exitCode: 3,
        roundTrips: {
          sshConnections: 2,
          sshCommands: 4,
          dockerCalls: 6,
          dockerRequests: 6,
          probers: 4,
        },
      }),
    ),
  ) as unknown;
  const doc = identifyReport(json);
  if (doc.kind === 'unknown') throw new Error(doc.problems.join('; '));
  const section = reportOf(doc).sections[0];
  if (!section) throw new Error('no section');
  return section;
}

describe('the heatmap data: what the page decodes is what was encoded', () => {
  it.each([
    ['the two-NIC sample', sampleReport()],
    ['2 hosts × 8 containers', bigCheck(2, 8)],
  ])('%s: every cell, its outcome and its texts', (_name, report) => {
    const section = sectionOf(report);
    const { data, cells } = encodeMatrix(section.matrix, section.topology);
    const decode = new Function(`${DECODE_JS}; return decodeMatrix;`)() as (m: unknown) => Decoded;
    const m = decode(JSON.parse(JSON.stringify(data)));
    expect(m.n).toBe(report.results.length);
    expect(cells).toHaveLength(report.results.length);
    for (const [i, c] of cells.entries()) {
      const source = data.sources[m.s[i] ?? -1];
      const target = data.targets[m.t[i] ?? -1];
      expect(`${source?.[0]}@${source?.[1]}`).toBe(c.source);
      expect(target?.[0]).toBe(section.matrix.targets.find((t) => t.key === c.target)?.label);
      expect(m.o[i]).toBe(
        c.outcome === 'fail' ? 'f' : c.outcome === 'error' ? 'e' : c.reached ? 'r' : 'i',
      );
      expect(m.x[i]).toBe(c.expect === 'reach' ? 'R' : 'N');
      const d = m.detail(i);
      expect(d).toMatchObject({
        address: c.address,
        reason: c.reason,
        observed: c.observed,
        reproduce: c.reproduce,
      });
    }
  });

  it('stores a text written for every pair once', () => {
    const section = sectionOf(bigCheck(2, 8));
    const { data, cells } = encodeMatrix(section.matrix, section.topology);
    const distinct = new Set(cells.map((c) => c.reproduce)).size;
    expect(distinct).toBeGreaterThan(100);
    expect(data.strings.length).toBeLessThan(distinct / 2);
  });
});
