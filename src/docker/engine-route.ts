/**
 * Which way to a host's Engine (docs/host-requirements.md): the socket forwarded over SSH
 * (direct-streamlocal) when the host's sshd allows it, else `docker system dial-stdio` on session
 * channels of the same connection, through `sudo -n` when the login user may not open the socket and
 * the inventory lets it become root. When neither works, every reason is named with what to change.
 */
import { LabError } from '../common/errors.js';
import type { RemoteShell } from '../ssh/host-shell.js';
import { quoteWord } from '../ssh/quote.js';
import type { EngineRoute } from './docker-client.js';
import {
  ENGINE_STATE_FUNCTION,
  enginePidFile,
  parseEngineState,
  type EngineState,
} from './engine-down.js';

/** lab_docker_transport: `auto` tries the forward first and falls back to dial-stdio. */
export type DockerTransport = 'forward' | 'dial-stdio' | 'auto';

/** `docker system dial-stdio` came with Docker 18.09 (docker/cli's connhelper needs it on the host). */
const DIAL_STDIO_SINCE: readonly [number, number] = [18, 9];

/** What one script on the host says about the ways to its Engine. */
export interface DialFacts {
  /** `docker --version`'s version ("28.2.2", "1.13.1"); undefined when there is no docker CLI. */
  cliVersion?: string;
  podman: boolean;
  socketExists: boolean;
  /** The login user may open the socket (read and write). */
  socketAccess: boolean;
  /** `sudo -n true` worked (asked only when the inventory allows become and the login is not root). */
  sudo?: boolean;
  /** Whether an Engine listens on the socket (engine-down.ts): a dead one is never a reason to relay. */
  engine: EngineState;
}

/** The script behind DialFacts: one round trip through the command pipe. */
export function dialFactsScript(socketPath: string, askSudo: boolean): string {
  const sock = quoteWord(socketPath);
  return [
    ENGINE_STATE_FUNCTION,
    `engine_state ${sock} ${quoteWord(enginePidFile(socketPath))}`,
    'v=$(docker --version 2>/dev/null) && echo "docker-cli=$v"',
    'command -v podman >/dev/null 2>&1 && echo podman=yes',
    `[ -S ${sock} ] && echo socket=yes`,
    `[ -r ${sock} ] && [ -w ${sock} ] && echo socket-access=yes`,
    ...(askSudo ? ['sudo -n true >/dev/null 2>&1 && echo sudo=yes || echo sudo=no'] : []),
    'exit 0',
  ].join('\n');
}

export function parseDialFacts(stdout: string): DialFacts {
  const lines = stdout.split('\n').map((l) => l.trim());
  const value = (key: string) => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
  const cli = value('docker-cli');
  const version = cli === undefined ? undefined : (/(\d+\.\d+(?:\.\d+)?)/.exec(cli)?.[1] ?? cli);
  const sudo = value('sudo');
  return {
    ...(version !== undefined && { cliVersion: version }),
    podman: value('podman') === 'yes',
    socketExists: value('socket') === 'yes',
    socketAccess: value('socket-access') === 'yes',
    ...(sudo !== undefined && { sudo: sudo === 'yes' }),
    engine: parseEngineState(stdout),
  };
}

/** True for "18.09.1", "20.10.24", "28.2.2"; false for "1.13.1", "17.06.2-ce", "18.06.3". */
export function dialStdioSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((p) => Number.parseInt(p, 10));
  const [sinceMajor, sinceMinor] = DIAL_STDIO_SINCE;
  return major > sinceMajor || (major === sinceMajor && minor >= sinceMinor);
}

/**
 * The dial-stdio route the facts allow, or every reason it cannot be taken. `forwardReason` is why
 * the forward was not used, for the route's text and the error's list.
 */
export function chooseDialRoute(
  facts: DialFacts,
  login: { user: string; become: boolean },
  socketPath: string,
  forwardReason: string | undefined,
): { route: EngineRoute } | { reasons: string[] } {
  const reasons: string[] = forwardReason ? [forwardReason] : [];
  if (facts.cliVersion === undefined) {
    reasons.push(
      facts.podman
        ? 'the host runs Podman and has no `docker` CLI: `docker system dial-stdio` is Docker’s; allow stream forwarding to its socket'
        : 'there is no `docker` CLI on the host for `docker system dial-stdio`: install the Docker CLI (18.09 or newer)',
    );
  } else if (!dialStdioSupported(facts.cliVersion)) {
    reasons.push(
      `the host’s docker CLI is ${facts.cliVersion}; \`docker system dial-stdio\` needs Docker 18.09 or newer: allow stream forwarding, or update Docker`,
    );
  }
  const root = login.user === 'root';
  let sudo = false;
  if (!facts.socketExists) {
    reasons.push(`there is no Docker socket at ${socketPath} on the host: is dockerd running?`);
  } else if (!root && !facts.socketAccess) {
    if (!login.become) {
      reasons.push(
        `permission denied on ${socketPath} for ${login.user} (not in the docker group): add ${login.user} to the docker group, or set ansible_become=true with passwordless sudo`,
      );
    } else if (facts.sudo !== true) {
      reasons.push(
        `sudo wants a password for ${login.user} (lab runs \`sudo -n\`, never a prompt), and ${login.user} may not open ${socketPath}: allow ${login.user} sudo without a password (NOPASSWD), or add it to the docker group`,
      );
    } else sudo = true;
  }
  const blocking = reasons.length - (forwardReason ? 1 : 0);
  if (blocking > 0) return { reasons };
  return {
    route: {
      via: 'dial-stdio',
      sudo,
      ...(forwardReason !== undefined && { reason: forwardReason }),
    },
  };
}

/** Runs the facts script on the host. */
export async function readDialFacts(shell: RemoteShell, socketPath: string): Promise<DialFacts> {
  const askSudo = shell.login.become && shell.login.user !== 'root';
  const r = await shell.script(dialFactsScript(socketPath, askSudo));
  return parseDialFacts(r.stdout);
}

/** "Docker via dial-stdio through sudo: the host's sshd refuses stream forwarding". */
export function routeText(route: EngineRoute): string {
  const how =
    route.via === 'forward'
      ? 'Docker via the socket forwarded over SSH'
      : `Docker via dial-stdio${route.sudo ? ' through sudo' : ''}`;
  return route.reason ? `${how}: ${route.reason}` : how;
}

const REFUSES_FORWARDING =
  'the host’s sshd refuses stream forwarding (DisableForwarding yes, or AllowStreamLocalForwarding no)';

/**
 * Why a direct-streamlocal open failed, in words. OpenSSH answers "open failed" alike whether its
 * configuration refuses the forward or the socket cannot be opened, so the facts tell them apart: a
 * socket the login may open that still was not forwarded means sshd refuses forwarding.
 */
export function forwardFailure(
  err: unknown,
  facts: DialFacts,
  login: { user: string },
  socketPath: string,
): string {
  // ssh2 keeps SSH_MSG_CHANNEL_OPEN_FAILURE's reason code: 1 is "administratively prohibited".
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as Error).cause, depth++) {
    if ((e as { reason?: unknown }).reason === 1) return REFUSES_FORWARDING;
  }
  if (!facts.socketExists) return `sshd found no socket at ${socketPath} to forward`;
  if (login.user === 'root' || facts.socketAccess) return REFUSES_FORWARDING;
  return `sshd could not open ${socketPath} for ${login.user}, who may not open it (and sshd may refuse stream forwarding as well)`;
}

/** The error when no way to the Engine is open: every reason, one per line, and what to change. */
export function noRouteError(host: string, reasons: readonly string[], cause?: unknown): LabError {
  return new LabError(
    'host',
    `${host}: cannot reach the Docker Engine, neither by the socket forwarded over SSH nor by dial-stdio:\n${reasons.map((r) => `  - ${r}`).join('\n')}`,
    {
      host,
      command: 'docker system dial-stdio',
      hint: 'see docs/host-requirements.md for what lab needs from a host; lab_docker_transport=forward|dial-stdio chooses a way',
    },
    cause === undefined ? undefined : { cause },
  );
}
