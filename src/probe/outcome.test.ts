import { describe, expect, it } from 'vitest';
import { describeObservation, judge } from './outcome.js';
import type { ProbeLine } from './probe-script.js';

/** The line as a probe without an interface answer prints it. */
const withoutIface = ({ iface: _iface, ...rest }: ProbeLine): ProbeLine => rest;

const line = (extra: Partial<ProbeLine>): ProbeLine => ({
  tag: '1',
  status: 'reached',
  exitCode: 0,
  attempts: 1,
  durationMs: 10,
  iface: 'eth0',
  ...extra,
});

describe('judge', () => {
  it('PASS as expected, FAIL the opposite, ERROR when the probe did not run — whatever was expected', () => {
    expect(judge('reach', line({}))).toEqual({ outcome: 'pass', reached: true });
    expect(judge('no-reach', line({}))).toEqual({ outcome: 'fail', reached: true });
    const none = line({ status: 'not-reached', exitCode: 1 });
    expect(judge('no-reach', none)).toEqual({ outcome: 'pass', reached: false });
    expect(judge('reach', none)).toEqual({ outcome: 'fail', reached: false });
    expect(judge('no-reach', line({ status: 'error' }))).toEqual({ outcome: 'error' });
    expect(judge('no-reach', undefined)).toEqual({ outcome: 'error' });
  });

  it('says what was seen', () => {
    expect(describeObservation(line({ attempts: 3, durationMs: 2010 }), 'ip')).toBe(
      'a reply came back via eth0 (3 attempts, 2010 ms)',
    );
    expect(
      describeObservation(withoutIface(line({ status: 'not-reached', exitCode: 1 })), 'ip'),
    ).toBe('no reply (ping exit 1; 1 attempt, 10 ms)');
    expect(describeObservation(line({ status: 'not-reached', resolved: false }), 'name')).toMatch(
      /did not resolve/,
    );
    expect(describeObservation(line({ resolved: true }), 'name')).toMatch(/^resolved; a reply/);
    expect(describeObservation(undefined, 'ip')).toMatch(/cut short/);
  });

  it('FAILs a lower path MTU only on conclusive evidence; otherwise says it could not tell', () => {
    const low = line({ fullSize: { bytes: 1500, passed: false } });
    expect(judge('reach', low)).toEqual({ outcome: 'fail', reached: true });
    expect(describeObservation(low, 'ip')).toMatch(/1500-byte packets do not: the path MTU/);
    const unknown = line({ fullSize: { bytes: 1500 } });
    expect(judge('reach', unknown)).toEqual({ outcome: 'pass', reached: true });
    expect(describeObservation(unknown, 'ip')).toMatch(
      /^a reply came back via eth0; whether 1500-byte packets get there could not be told .*path MTU was not measured/,
    );
  });
});
