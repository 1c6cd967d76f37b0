/**
 * The outside row's sockets (src/probe/outside.ts): TCP with net.connect, UDP with a connected
 * dgram socket, both bound to the outside address, which must be one of this machine's own.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';
import type { PortSpec } from '../common/port.js';
import type { OutsidePortProbe, OutsideProber, OutsideSource } from '../probe/outside.js';
import type { PortState } from '../probe/probe-script.js';

/** An ICMP error other than "port unreachable": no route, or a firewall that rejects. */
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM']);

function tcp(from: string, to: string, port: number, timeoutMs: number): Promise<PortState> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: to, port, localAddress: from, timeout: timeoutMs });
    const end = (state: PortState) => {
      socket.destroy();
      resolve(state);
    };
    socket.once('connect', () => end('open'));
    socket.once('timeout', () => end('silent'));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      if (err.code === 'ECONNREFUSED') resolve('refused');
      else if (err.code !== undefined && UNREACHABLE.has(err.code)) resolve('unreach');
      else reject(err);
    });
  });
}

/**
 * One datagram on a connected socket: the kernel hands an ICMP "port unreachable" back as
 * ECONNREFUSED; a reply is an answer; silence is all a listener that keeps quiet and a drop show.
 */
function udp(from: string, to: string, port: number, timeoutMs: number): Promise<PortState> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    let timer: NodeJS.Timeout | undefined;
    const end = (state: PortState) => {
      clearTimeout(timer);
      socket.close();
      resolve(state);
    };
    socket.once('message', () => end('open'));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') return end('refused');
      if (err.code !== undefined && UNREACHABLE.has(err.code)) return end('unreach');
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.bind({ address: from }, () =>
      socket.connect(port, to, () => {
        socket.send('lab\n');
        timer = setTimeout(() => end('silent'), timeoutMs);
      }),
    );
  });
}

export const nodeOutsideProber: OutsideProber = {
  async probe(from, to, port: PortSpec, timeoutMs): Promise<OutsidePortProbe> {
    const started = performance.now();
    const state = await (port.protocol === 'udp' ? udp : tcp)(from, to, port.port, timeoutMs);
    return { state, durationMs: Math.round(performance.now() - started) };
  },
};

/** This machine's own IPv4 addresses. */
export function ownAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4')
    .map((a) => a.address);
}

/** The outside source for an inventory's `lab_outside_address`: probed from here only if it is ours. */
export function outsideOf(
  address: string,
  own: readonly string[] = ownAddresses(),
  prober: OutsideProber = nodeOutsideProber,
): OutsideSource {
  if (own.includes(address)) return { address, prober };
  return {
    address,
    notChecked: `the outside address ${address} (lab_outside_address) is not one of this machine's addresses (${own.join(', ') || 'none'}), and lab sends nothing from an address not its own`,
  };
}
