import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../test/fakes/connectivity-report.js';
import { xmlEscape } from '../common/xml.js';
import { connectivityToJunit } from './junit.js';

describe('connectivityToJunit', () => {
  const xml = connectivityToJunit(sampleReport(), '2026-01-01T00:00:00.000Z');

  it('one suite per source, one test case per cell, failure and error apart', () => {
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="lab check connectivity" tests="28" failures="1" errors="1" time="1.500">',
      ),
    ).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(4);
    expect(xml.match(/<testcase /g)).toHaveLength(28);
    expect(xml).toContain('<testsuite name="vm4@server1" tests="7" failures="1" errors="0"');
    expect(xml).toContain(
      '<testcase classname="lab.connectivity.vm4@server1" name="vm4@server1 → vm5 198.19.1.11: reaches" time="1.000">\n      <failure type="FAIL" message="expected reach; no reply via eth0 &lt;&amp;&gt; (ping exit 1)">',
    );
    expect(xml).toContain('<error type="ERROR" message="server2: prober &quot;failed&quot;">');
    expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  });

  it('escapes what XML needs and drops what it forbids', () => {
    expect(xmlEscape(`a<b>&"c'\u0007d`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;d');
  });

  describe('a cell of a claim of the seed', () => {
    const seed = {
      section: '五.1',
      says: 'without promiscuous mode the macvlan network cannot reach the outside',
      words: '如果不开启混杂模式',
    };
    function withDiffers(): ReturnType<typeof sampleReport> {
      const report = sampleReport();
      report.results = report.results.map((r) =>
        r.cell.id === 'vm4@server1 → addr:vm5@server2/mac_net1'
          ? {
              ...r,
              cell: { ...r.cell, origin: 'scenario', seed },
              outcome: 'differs',
              reached: true,
              evidence: 'a reply came back',
              docker: '20.10.24+dfsg1',
            }
          : r,
      );
      report.verdict = 'error';
      return report;
    }

    it('carries the claim as properties CI can read, DIFFERS as lab.outcome, both sides in system-out', () => {
      const xml = connectivityToJunit(withDiffers(), '2026-01-01T00:00:00.000Z');
      expect(xml).toContain('<testsuite name="vm4@server1" tests="7" failures="0" errors="0"');
      expect(xml).toContain(
        [
          '      <properties>',
          '        <property name="lab.outcome" value="DIFFERS FROM THE SEED"/>',
          '        <property name="seed.section" value="五.1"/>',
          '        <property name="seed.says" value="without promiscuous mode the macvlan network cannot reach the outside"/>',
          '        <property name="seed.words" value="如果不开启混杂模式"/>',
          '        <property name="docker" value="20.10.24+dfsg1"/>',
          '      </properties>',
          '      <system-out>DIFFERS FROM THE SEED (五.1)\nthe seed says: &quot;如果不开启混杂模式&quot; — without promiscuous mode the macvlan network cannot reach the outside\nDocker 20.10.24+dfsg1 on server1 did: a reply came back\nexpected:',
        ].join('\n'),
      );
    });

    it('--strict-seed: DIFFERS is a failure of its own type', () => {
      const xml = connectivityToJunit(withDiffers(), '2026-01-01T00:00:00.000Z', {
        strictSeed: true,
      });
      expect(xml).toContain('<testsuite name="vm4@server1" tests="7" failures="1" errors="0"');
      expect(xml).toContain(
        '<failure type="DIFFERS FROM THE SEED" message="the seed says: &quot;如果不开启混杂模式&quot; — without promiscuous mode the macvlan network cannot reach the outside; Docker 20.10.24+dfsg1 on server1 did: a reply came back">',
      );
    });
  });
});
