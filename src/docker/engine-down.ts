import { LabError } from '../common/errors.js';
import type { HostShell } from '../ssh/host-shell.js';
import type { DockerClient } from './docker-client.js';

/** The plain "Docker is not running on server2": the engine is down, not the SSH forwarding. */
export class DockerNotRunning extends LabError {
  constructor(host: string, socketPath: string, cause: unknown) {
    super(
      'host',
      `Docker is not running on ${host}`,
      {
        host,
        command: `GET /version on ${socketPath}`,
        hint: `start the Docker Engine on ${host} (e.g. systemctl start docker), then run lab again`,
      },
      { cause },
    );
  }
}

export function isDockerNotRunning(err: unknown): err is DockerNotRunning {
  return err instanceof DockerNotRunning;
}

/**
 * Whether the engine behind `socketPath` is down, asked of the host's shell after the API did not
 * answer: no socket (a stopped dockerd removes it), or a pidfile whose process is gone (a killed
 * dockerd leaves both behind). A socket without a pidfile is not judged (a socket-activated or
 * differently configured engine), nor a live engine we could not reach (sshd refusing stream
 * forwarding): false then, and the original error stands.
 */
export async function engineIsDown(shell: HostShell, socketPath: string): Promise<boolean> {
  const script =
    '[ -S "$1" ] || { echo down; exit 0; }; ' +
    '[ -e "$2" ] || { echo unknown; exit 0; }; ' +
    'pid=$(cat "$2" 2>/dev/null); ' +
    // A killed dockerd its parent has not reaped yet is a zombie: still in /proc, yet dead.
    'if [ -n "$pid" ] && [ -d "/proc/$pid" ] && ! grep -q "^State:[[:space:]]*Z" "/proc/$pid/status" 2>/dev/null; ' +
    'then echo up; else echo down; fi';
  const pidfile = socketPath.replace(/\.sock$/, '.pid');
  try {
    const r = await shell.exec(['sh', '-c', script, 'sh', socketPath, pidfile], {
      timeoutMs: 10_000,
    });
    return r.exitCode === 0 && r.stdout.trim() === 'down';
  } catch {
    return false;
  }
}

/**
 * A stand-in for the DockerClient of a host whose engine is down: every call fails with `error`, so
 * what needs only the shell (restoring NICs in `lab down`) still runs, and the rest says why not.
 */
export function unavailableDocker(error: LabError): DockerClient {
  return new Proxy({} as DockerClient, {
    get(_target, prop) {
      if (prop === 'close') return () => Promise.resolve();
      // Not a thenable: `await` of the client must not call it.
      if (prop === 'then') return undefined;
      // Every call fails, and the host's error already says why: a caller that does not wait for
      // one (a cleanup fired and forgotten) must not turn it into an unhandled rejection.
      return () => {
        const failed = Promise.reject(error);
        failed.catch(() => undefined);
        return failed;
      };
    },
  });
}
