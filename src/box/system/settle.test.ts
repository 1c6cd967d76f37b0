import { describe, expect, it } from 'vitest';
import { settleAll } from './settle.js';

describe('settleAll', () => {
  it('gives the values in order', async () => {
    expect(await settleAll<[number, string]>([Promise.resolve(1), Promise.resolve('two')])).toEqual(
      [1, 'two'],
    );
  });

  it('throws the first failure only after everything has finished', async () => {
    let slowFinished = false;
    const slow = new Promise<void>((resolve) =>
      setTimeout(() => {
        slowFinished = true;
        resolve();
      }, 20),
    );
    await expect(
      settleAll<[void, void]>([Promise.reject(new Error('boom')), slow]),
    ).rejects.toThrow('boom');
    expect(slowFinished).toBe(true);
  });
});
