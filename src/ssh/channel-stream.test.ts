import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChannelStream, type RawChannel } from './channel-stream.js';

/**
 * An ssh2-like channel (emitClose off; destroy() only asks the server, so no 'close' comes unless it
 * answers), recording what is written to it and what is asked of it.
 */
function deadChannel() {
  const calls: string[] = [];
  const channel = Object.assign(
    new Duplex({
      emitClose: false,
      read() {},
      write(chunk: Buffer, _e, cb) {
        calls.push(`write ${chunk.toString()}`);
        cb();
      },
    }),
    { close: () => void calls.push('close') },
  ) as RawChannel;
  channel.destroy = () => {
    calls.push('destroy');
    return channel;
  };
  return { channel, calls };
}

describe('ChannelStream', () => {
  it('destroy(err) fails the stream at once, even when the server never answers', async () => {
    const { channel, calls } = deadChannel();
    const s = new ChannelStream(channel);
    const failed = new Promise<Error>((resolve) => s.once('error', resolve));
    const closed = new Promise<void>((resolve) => s.once('close', resolve));
    s.destroy(new Error('connection to server2 lost'));
    expect((await failed).message).toBe('connection to server2 lost');
    await closed;
    expect(calls).toEqual(['close']);
  });

  it('relays both ways, and ends when the channel ends', async () => {
    const { channel, calls } = deadChannel();
    const s = new ChannelStream(channel);
    await new Promise<void>((resolve) => s.write('GET /_ping\r\n', () => resolve()));
    expect(calls).toEqual(['write GET /_ping\r\n']);
    let text = '';
    s.on('data', (c: Buffer) => (text += c.toString()));
    const ended = new Promise((r) => s.once('end', r));
    channel.push('OK');
    channel.push(null);
    await ended;
    expect(text).toBe('OK');
  });
});
