import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import type { SshTarget } from '../ssh/target.js';
import { connectEarly } from './early-connect.js';

const target = (host: string): SshTarget => ({ host, address: host, port: 22, become: false });

describe('connectEarly', () => {
  it('opens the first hosts at once and hands each session out once', async () => {
    const opened: string[] = [];
    const connect = async (t: SshTarget) => {
      opened.push(t.host);
      return new FakeHost(t.host);
    };
    const targets = ['a', 'b', 'c'].map(target);
    const early = connectEarly(connect, targets, 2);
    expect(opened).toEqual(['a', 'b']);
    const a = await early.connect(targets[0]!);
    expect(a.host).toBe('a');
    expect(await early.connect(targets[2]!)).toMatchObject({ host: 'c' });
    // A second ask for a host connects anew, as the plain connector would.
    await early.connect(targets[0]!);
    expect(opened).toEqual(['a', 'b', 'c', 'a']);
    await early.dispose();
  });

  it('closes what nobody asked for, and a failed early host never ends the process', async () => {
    const closed: string[] = [];
    const connect = async (t: SshTarget) => {
      if (t.host === 'down') throw new Error('unreachable');
      const h = new FakeHost(t.host);
      h.shell.close = async () => void closed.push(t.host);
      return h;
    };
    const early = connectEarly(connect, ['up', 'down'].map(target), 8);
    await new Promise((r) => setTimeout(r, 10));
    await early.dispose();
    expect(closed).toEqual(['up']);
  });

  it('hands the early session to an equal target, a fresh connection to a changed one', async () => {
    const opened: string[] = [];
    const connect = async (t: SshTarget) => {
      opened.push(`${t.host}:${t.port}`);
      return new FakeHost(t.host);
    };
    const early = connectEarly(connect, [target('a'), target('b')], 8);
    await early.connect({ ...target('a') });
    await early.connect({ ...target('b'), port: 2222 });
    expect(opened).toEqual(['a:22', 'b:22', 'b:2222']);
    await early.dispose();
  });

  it('abandons connections still being made when disposed', async () => {
    const signals: AbortSignal[] = [];
    const connect = (t: SshTarget, signal?: AbortSignal) =>
      new Promise<FakeHost>((_resolve, reject) => {
        if (signal) signals.push(signal);
        signal?.addEventListener('abort', () => reject(new Error(`${t.host}: abandoned`)));
      });
    const early = connectEarly(connect, [target('slow')], 8);
    await early.dispose();
    expect(signals.map((s) => s.aborted)).toEqual([true]);
  });
});
