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
});
