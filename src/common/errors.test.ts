import { describe, expect, it } from 'vitest';
import { LabError } from './errors.js';

describe('LabError', () => {
  it('keeps its message and context in --json output (an Error’s message is not enumerable)', () => {
    const err = new LabError(
      'host',
      'server2: boom',
      { host: 'server2', hint: 'try again' },
      { cause: new Error('x') },
    );
    expect(JSON.parse(JSON.stringify({ err }))).toEqual({
      err: { kind: 'host', message: 'server2: boom', host: 'server2', hint: 'try again' },
    });
  });
});
