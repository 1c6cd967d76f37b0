import { describe, expect, it } from 'vitest';
import { suiteInterruptedLine } from './run-all-command.js';

const flags = { inventory: 'box' } as Parameters<typeof suiteInterruptedLine>[1];

describe('lab run --all stopped by Ctrl-C: its last line', () => {
  it('says INTERRUPTED and gives the exact lab down of each scenario not torn down', () => {
    expect(
      suiteInterruptedLine(
        [
          { scenario: 'bridge-connect', down: { ok: true } },
          { scenario: 'bridge-custom', down: { ok: false } },
        ],
        flags,
      ),
    ).toBe(
      'INTERRUPTED: lab run --all — stopped in bridge-custom; what was made stays, remove it with: lab down bridge-custom -i box',
    );
  });

  it('says so when every scenario it ran was torn down', () => {
    expect(suiteInterruptedLine([{ scenario: 'bridge-connect', down: { ok: true } }], flags)).toBe(
      'INTERRUPTED: lab run --all — stopped in bridge-connect; each scenario it ran was torn down; nothing was left on any host',
    );
  });
});
