import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeOutsideProber, outsideOf } from './outside-prober.js';

describe('the outside address', () => {
  it("is probed from only when it is one of this machine's own", () => {
    expect('prober' in outsideOf('127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(outsideOf('198.18.0.254', ['127.0.0.1', '198.18.9.9'])).toEqual({
      address: '198.18.0.254',
      notChecked:
        "the outside address 198.18.0.254 (lab_outside_address) is not one of this machine's addresses (127.0.0.1, 198.18.9.9), and lab sends nothing from an address not its own",
    });
  });
});

describe('the sockets from this machine (loopback)', () => {
  let server: net.Server;
  let open = 0;
  beforeAll(async () => {
    server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('tells connected from refused (TCP), and refused from silence (UDP)', async () => {
    const p = (port: number, protocol: 'tcp' | 'udp') =>
      nodeOutsideProber.probe('127.0.0.1', '127.0.0.1', { port, protocol }, 500);
    expect((await p(open, 'tcp')).state).toBe('open');
    // A port nothing listens on: the listener's port once it is closed.
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const refused = await p(closed, 'tcp');
    expect(refused.state).toBe('refused');
    expect(refused.durationMs).toBeLessThan(400);
    expect((await p(closed, 'udp')).state).toBe('refused');
  });
});
