import { connect } from 'node:net';

/** True when something at address:port greets like an SSH server ("SSH-2.0-…") within timeoutMs. */
export type SshProbe = (address: string, port: number, timeoutMs: number) => Promise<boolean>;

export const probeSshBanner: SshProbe = (address, port, timeoutMs) =>
  new Promise((resolve) => {
    const socket = connect({ host: address, port });
    let received = '';
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\n')) finish(received.startsWith('SSH-2.0-'));
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(received.startsWith('SSH-2.0-')));
  });
