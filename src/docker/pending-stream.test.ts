import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PendingStream } from './pending-stream.js';

describe('PendingStream', () => {
  it('an inner stream that arrives failed after the request was given up on is dropped quietly, never an uncaught error', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.prependListener('uncaughtException', onUncaught);
    try {
      let open: ((s: PassThrough) => void) | undefined;
      const pending = new PendingStream(new Promise((resolve) => (open = resolve)));
      pending.on('error', () => {});
      pending.destroy();
      // The connection closed meanwhile: the shell hands over a stream it has already failed.
      const inner = new PassThrough();
      inner.destroy(new Error('the shell was closed'));
      open?.(inner);
      await new Promise((r) => setTimeout(r, 20));
      expect(uncaught).toEqual([]);
    } finally {
      process.removeListener('uncaughtException', onUncaught);
    }
  });
});
