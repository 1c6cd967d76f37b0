import { errorText } from '../common/errors.js';
import type { DockerClient } from '../docker/docker-client.js';

export interface PingResult {
  /** True: a reply came back; false: none did; undefined: the probe itself could not run. */
  reached: boolean | undefined;
  exitCode: number | null;
  output: string;
  durationMs: number;
}

/** The argv of one ping; `-W` is the reply timeout in whole seconds (busybox and iputils agree). */
export function pingArgv(address: string, timeoutSeconds: number): string[] {
  return ['ping', '-c', '1', '-W', String(Math.max(1, Math.round(timeoutSeconds))), address];
}

/**
 * Pings from inside a container. The verdict is ping's exit status: 0 a reply, 1 no reply; anything
 * else (2 bad address, 126/127 no ping in the image, exec refused) means the probe did not run.
 */
export async function pingFrom(
  docker: DockerClient,
  container: string,
  address: string,
  timeoutSeconds: number,
): Promise<PingResult> {
  const started = Date.now();
  try {
    const r = await docker.exec(container, pingArgv(address, timeoutSeconds), {
      timeoutMs: (timeoutSeconds + 5) * 1000,
    });
    const reached = r.exitCode === 0 ? true : r.exitCode === 1 ? false : undefined;
    return {
      reached,
      exitCode: r.exitCode,
      output: (r.stdout + r.stderr).trim(),
      durationMs: r.durationMs,
    };
  } catch (err) {
    return {
      reached: undefined,
      exitCode: null,
      output: errorText(err),
      durationMs: Date.now() - started,
    };
  }
}
