import { engineLabel } from '../docker/engines/index.js';
import PQueue from 'p-queue';
import { errorText } from '../common/errors.js';
import type { DockerClient } from '../docker/docker-client.js';
import { routeText } from '../docker/engine-route.js';
import type { SshTarget } from '../ssh/target.js';
import { describeRoute } from '../ssh/config/route.js';
import type { HostShell } from '../ssh/host-shell.js';
import { parseLinks } from '../host/nic-state.js';

/** What `lab inventory --check` learns of one host; every field it could not learn says why. */
export interface HostCheck {
  host: string;
  address: string;
  /** How lab reaches it: "root@198.18.0.3:22 via root@server1 (198.18.0.1:22)". */
  route: string;
  ssh: { ok: boolean; detail: string };
  privilege: { ok: boolean; detail: string };
  docker: { ok: boolean; detail: string; version?: string; apiVersion?: string };
  nics: { ok: boolean; detail: string; names?: string[] };
}

export interface HostCheckDeps<S extends HostShell = HostShell> {
  openShell: (target: SshTarget) => Promise<S>;
  openDocker: (shell: S, target: SshTarget) => Promise<DockerClient>;
}

const message = (err: unknown) => errorText(err);

/**
 * Connects to one host and asks it, one by one, what lab needs: SSH, root or sudo without a
 * password, Docker Engine (version and API), its NICs. A failure stops only what depends on it.
 */
export async function checkHost<S extends HostShell>(
  target: SshTarget,
  deps: HostCheckDeps<S>,
): Promise<HostCheck> {
  const skipped = { ok: false, detail: 'not checked: no SSH session' };
  const result: HostCheck = {
    host: target.host,
    address: `${target.address}:${target.port}`,
    route: describeRoute(target),
    ssh: { ok: false, detail: '' },
    privilege: skipped,
    docker: skipped,
    nics: skipped,
  };
  let shell: S;
  try {
    shell = await deps.openShell(target);
    result.ssh = { ok: true, detail: `logged in as ${target.user ?? 'the local user'}` };
  } catch (err) {
    result.ssh = { ok: false, detail: message(err) };
    return result;
  }
  try {
    const [uid, links] = await Promise.all([
      shell.exec(['id', '-u']),
      shell.exec(['ip', '-o', 'link', 'show']),
    ]);
    if (uid.exitCode === 0 && uid.stdout.trim() === '0') {
      result.privilege = { ok: true, detail: 'root' };
    } else {
      const sudo = await shell.exec(['sudo', '-n', 'true']);
      result.privilege =
        sudo.exitCode === 0
          ? { ok: true, detail: `uid ${uid.stdout.trim()}, sudo without a password` }
          : {
              ok: false,
              detail: `uid ${uid.stdout.trim()}, and sudo -n fails: ${sudo.stderr.trim().split('\n')[0] ?? ''} (NIC changes need root)`,
            };
    }
    const names = [...parseLinks(links.stdout).keys()];
    result.nics =
      links.exitCode === 0
        ? { ok: true, detail: names.join(', '), names }
        : { ok: false, detail: `ip -o link show exited ${links.exitCode}: ${links.stderr.trim()}` };
    try {
      const docker = await deps.openDocker(shell, target);
      try {
        const v = await docker.version();
        result.docker = {
          ok: true,
          detail: `${engineLabel(v)}, API ${v.apiVersion}${docker.route && docker.route.via !== 'forward' ? ` (${routeText(docker.route)})` : ''}`,
          version: v.version,
          apiVersion: v.apiVersion,
        };
      } finally {
        await docker.close();
      }
    } catch (err) {
      result.docker = { ok: false, detail: message(err) };
    }
  } finally {
    await shell.close();
  }
  return result;
}

/** Every host at once (bounded); one unreachable host never hides the others' results. */
export async function checkHosts<S extends HostShell>(
  targets: readonly SshTarget[],
  deps: HostCheckDeps<S>,
  concurrency: number,
): Promise<HostCheck[]> {
  const queue = new PQueue({ concurrency });
  return Promise.all(targets.map((t) => queue.add(() => checkHost(t, deps))));
}

export function hostCheckOk(c: HostCheck): boolean {
  return c.ssh.ok && c.privilege.ok && c.docker.ok && c.nics.ok;
}

export function renderHostChecks(checks: readonly HostCheck[]): string {
  const mark = (ok: boolean) => (ok ? '✔' : '✘');
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${mark(hostCheckOk(c))} ${c.host}: ${c.route}`);
    lines.push(`    ${mark(c.ssh.ok)} ssh     ${c.ssh.detail}`);
    lines.push(`    ${mark(c.privilege.ok)} root    ${c.privilege.detail}`);
    lines.push(`    ${mark(c.docker.ok)} docker  ${c.docker.detail}`);
    lines.push(`    ${mark(c.nics.ok)} nics    ${c.nics.detail}`);
  }
  const bad = checks.filter((c) => !hostCheckOk(c)).length;
  lines.push(
    '',
    bad === 0 ? `all ${checks.length} hosts ready` : `${bad} of ${checks.length} hosts not ready`,
  );
  return `${lines.join('\n')}\n`;
}
