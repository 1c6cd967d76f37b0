import { connect } from 'node:net';
import type { Runner } from '../system/runner.js';

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

/**
 * The same check from inside a host's network namespace (nsenter prefix), for a host behind a jump
 * host: the machine cannot reach it, which is the point. bash's /dev/tcp reads the greeting.
 */
export async function probeSshBannerInHost(
  runner: Runner,
  nsenter: readonly string[],
  address: string,
  timeoutMs: number,
): Promise<boolean> {
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const r = await runner.run(
    [
      ...nsenter,
      'timeout',
      seconds,
      'bash',
      '-c',
      'exec 3<>"/dev/tcp/$1/22" && head -c 8 <&3',
      'probe',
      address,
    ],
    { timeoutMs: timeoutMs + 1_000 },
  );
  return r.stdout.startsWith('SSH-2.0-');
}
