import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { CommandStream } from './command-stream.js';

/** A relay's channel: what is written to it comes back as its output (an echo), as dial-stdio relays. */
function relay() {
  const stream = new PassThrough();
  const stderr = new PassThrough();
  let end: (r: { code: number | null; signal: string | null }) => void = () => {};
  const ended = new Promise<{ code: number | null; signal: string | null }>((r) => (end = r));
  return { exec: { stream, stderr, ended }, end };
}

const read = (s: CommandStream) =>
  new Promise<string>((resolve, reject) => {
    let text = '';
    s.on('data', (c: Buffer) => (text += c.toString()));
    s.on('end', () => resolve(text));
    s.on('error', reject);
  });

describe('CommandStream', () => {
  it('relays both ways and ends when the command exits 0', async () => {
    const r = relay();
    const s = new CommandStream(r.exec, 'server2', 'docker system dial-stdio');
    const text = read(s);
    s.write('GET /version HTTP/1.1\r\n\r\n');
    await new Promise((t) => setTimeout(t, 5));
    r.end({ code: 0, signal: null });
    expect(await text).toBe('GET /version HTTP/1.1\r\n\r\n');
  });

  it('a failing command errors the stream with its exit code and last stderr line', async () => {
    const r = relay();
    const s = new CommandStream(r.exec, 'server2', 'sudo -n docker system dial-stdio');
    const text = read(s);
    r.exec.stderr.write('sudo: a password is required\n');
    await new Promise((t) => setTimeout(t, 5));
    r.end({ code: 1, signal: null });
    const err = await text.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toBe(
      'server2: `sudo -n docker system dial-stdio` ended (exit code 1): sudo: a password is required',
    );
    expect((err as LabError).context).toMatchObject({ host: 'server2', exitCode: 1 });
  });

  it('destroying it closes the channel', () => {
    const r = relay();
    const s = new CommandStream(r.exec, 'server2', 'docker system dial-stdio');
    s.destroy();
    expect(r.exec.stream.destroyed).toBe(true);
  });
});
