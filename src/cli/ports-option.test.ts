import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { parsePortsFlag } from './ports-option.js';

describe('--ports', () => {
  it('all by default; words choose where ports are looked for; numbers choose which', () => {
    expect(parsePortsFlag(undefined)).toEqual({ listening: true, published: true });
    expect(parsePortsFlag('none')).toEqual({ listening: false, published: false });
    expect(parsePortsFlag('published')).toEqual({ listening: false, published: true });
    expect(parsePortsFlag('5432,53/udp')).toEqual({
      listening: true,
      published: true,
      only: [
        { port: 5432, protocol: 'tcp' },
        { port: 53, protocol: 'udp' },
      ],
    });
    expect(parsePortsFlag('published,8080')).toEqual({
      listening: false,
      published: true,
      only: [{ port: 8080, protocol: 'tcp' }],
    });
  });

  it('anything else is bad input that says what would be right', () => {
    for (const bad of ['70000', 'tcp', 'none,80', '80/sctp']) {
      expect(() => parsePortsFlag(bad), bad).toThrow(LabError);
    }
    expect(() => parsePortsFlag('x')).toThrow(/--ports "x"/);
  });
});
