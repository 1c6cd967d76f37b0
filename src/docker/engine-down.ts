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
 * A shell function: `engine_state SOCKET PIDFILE` prints engine=up, engine=down or engine=unknown.
 * Down is no socket (a stopped dockerd removes it), or a socket nobody listens on: the kernel's
 * /proc/net/unix lists every bound socket by the path it was bound to (a killed dockerd leaves its
 * file, not its entry), and the path is resolved too (/var/run is /run on most systems). A pidfile
 * whose process is alive still counts as up (an engine starting, or bound in another network
 * namespace); one whose process is gone, or a zombie its parent has not reaped, as down.
 */
export const ENGINE_STATE_FUNCTION = [
  'engine_state() {',
  '  [ -S "$1" ] || { echo engine=down; return; }',
  '  r=$(readlink -f "$1" 2>/dev/null) || r=$1',
  '  if [ -r /proc/net/unix ] && sed "s/.* //" /proc/net/unix | grep -qxF -e "$1" -e "$r"; then',
  '    echo engine=up; return',
  '  fi',
  '  if [ -e "$2" ]; then',
  '    pid=$(cat "$2" 2>/dev/null)',
  '    if [ -n "$pid" ] && [ -d "/proc/$pid" ] && ! grep -q "^State:[[:space:]]*Z" "/proc/$pid/status" 2>/dev/null',
  '    then echo engine=up; else echo engine=down; fi',
  '  elif [ -r /proc/net/unix ]; then echo engine=down',
  '  else echo engine=unknown; fi',
  '}',
].join('\n');

export type EngineState = 'up' | 'down' | 'unknown';

/** The pidfile beside an Engine socket (/var/run/docker.sock → /var/run/docker.pid). */
export function enginePidFile(socketPath: string): string {
  return socketPath.replace(/\.sock$/, '') + '.pid';
}

/** engine=… out of a script's output; unknown when it is not there. */
export function parseEngineState(stdout: string): EngineState {
  const m = /^engine=(up|down|unknown)$/m.exec(stdout);
  return (m?.[1] as EngineState | undefined) ?? 'unknown';
}

/**
 * Whether the engine behind `socketPath` is down (ENGINE_STATE_FUNCTION), asked of the host's shell
 * after the API did not answer. An engine that cannot be judged (no /proc, no pidfile), or a live
 * engine we could not reach (sshd refusing stream forwarding), gives false, and the original error
 * stands.
 */
export async function engineIsDown(shell: HostShell, socketPath: string): Promise<boolean> {
  const script = `${ENGINE_STATE_FUNCTION}\nengine_state "$1" "$2"`;
  try {
    const r = await shell.exec(['sh', '-c', script, 'sh', socketPath, enginePidFile(socketPath)], {
      timeoutMs: 10_000,
    });
    return r.exitCode === 0 && parseEngineState(r.stdout) === 'down';
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
