import { describe, expect, it } from 'vitest';
import { DependencyGate } from './dependency-gate.js';

describe('DependencyGate', () => {
  it('runs a step only after its dependencies, and fails it when one failed', async () => {
    const gate = new DependencyGate(['a', 'b', 'c']);
    const order: string[] = [];
    const c = gate.waitFor(['a', 'b']).then(() => order.push('c'));
    order.push('a');
    gate.open('a');
    await Promise.resolve();
    expect(order).toEqual(['a']);
    order.push('b');
    gate.open('b');
    await c;
    expect(order).toEqual(['a', 'b', 'c']);

    const g2 = new DependencyGate(['x']);
    gate.fail('x', new Error('ignored: unknown to this gate'));
    g2.fail('x', new Error('x broke'));
    await expect(g2.waitFor(['x'])).rejects.toThrow('x broke');
    await expect(g2.waitFor(['unknown'])).resolves.toBeUndefined();
  });
});
