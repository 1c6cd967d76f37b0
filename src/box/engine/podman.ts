/**
 * `--engine HOST=podman`: Debian's podman (`lab box install` installs it) as the host's engine, its
 * Docker-compatible service on Podman's own socket path, as RHEL 8/9's podman.socket offers it. The
 * box's inventory then names that socket (lab_docker_socket), as a RHEL host's inventory would.
 *
 * What this machine needs, found on the box (issue 17, docs/podman.md):
 * - root here lacks CAP_SYS_RESOURCE: podman asks runc for nofile 1048576 and runc fails ("error
 *   setting rlimit type 7") unless containers.conf caps the container ulimits;
 * - with the cgroupfs manager podman puts containers and conmon (one per container, and one per exec
 *   session, some of which stay) in /libpod_parent at the top of each hierarchy, outside the host's
 *   cgroup. They are left there: binding the hierarchies' roots to the host's cgroup made runc fail
 *   ("error mounting cgroup to rootfs"). Only the box runs podman on this machine, so `box down` kills
 *   every process in /libpod_parent and removes it (teardown.ts);
 * - its image import writes /var/tmp and /var/lib/containers/cache of the machine: /var/tmp is bound
 *   to the host's directory, and /var/lib/containers is removed again by `box down` when the box made it
 *   (marker.ts, WATCHED_PATHS);
 * - podman's /version asks the package database which package each of its programs came from
 *   (/usr/bin/dpkg -S, one after another): on the busy machine that took over 10 s per call, and lab
 *   asks /version on every connection. Inside the host, dpkg, dpkg-query and rpm are stand-ins that
 *   answer "not found" at once; /version then names no packages, and nothing of lab runs them;
 * - aardvark-dns forwards names it does not know to the host's /etc/resolv.conf: inside the host it
 *   names the machine's side of the switch, as dockerd's `dns` does on Docker hosts.
 */
import { join } from 'node:path';
import { LabError } from '../../common/errors.js';
import { assertInBoxRange, MACHINE_ADDRESS } from '../network/address-plan.js';
import type { DockerdConfigInput } from '../host/dockerd-config.js';
import type { HostLayout } from '../layout.js';
import type { BoxSystem } from '../system/system.js';
import type { HostEngine } from './host-engine.js';
import type { EngineSpec } from './spec.js';

/** Podman's service socket on RHEL (podman.socket), inside the host's own /run. */
export const PODMAN_SOCKET_IN_HOST = '/run/podman/podman.sock';

/** The host's podman directory: the engine data root every box host has (STATE/serverI/docker). */
export function podmanDir(files: HostLayout): string {
  return files.dockerDataRoot;
}

/**
 * What the command line of a host's engine daemon holds, to tell it from another process that got its
 * pid: podman's names the host's podman directory (--root), dockerd's its config file.
 */
export function engineMarker(files: HostLayout, spec: EngineSpec | undefined): string {
  return spec?.kind === 'podman' ? podmanDir(files) : files.dockerdConfig;
}

/** containers.conf of one host: storage, network config and temporary files all in its own directory. */
export function renderContainersConf(dir: string, input: DockerdConfigInput): string {
  assertInBoxRange(input.addresses.bip, 'podman default network');
  assertInBoxRange(input.addresses.poolBase, 'podman address pool');
  const defaultSubnet = input.addresses.bip.replace(/\.\d+\/(\d+)$/, '.0/$1');
  const q = (s: string) => JSON.stringify(s);
  return [
    '# Written by `lab box up` for one podman host (src/box/engine/podman.ts).',
    '[containers]',
    '# root here lacks CAP_SYS_RESOURCE: the defaults (nofile 1048576) make runc fail.',
    'default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]',
    '',
    '[network]',
    `network_config_dir = ${q(join(dir, 'networks'))}`,
    `default_subnet = ${q(defaultSubnet)}`,
    `default_subnet_pools = [{ base = ${q(input.addresses.poolBase)}, size = ${input.addresses.poolSize} }]`,
    '',
    '[engine]',
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    'events_logfile_path = "/run/podman/events.log"',
    '# An exec session’s conmon waits this long for the API to read its exit code (300 s by default,',
    '# as Docker keeps exec records): lab reads it at once, and a run leaves dozens of them otherwise.',
    'exit_command_delay = 10',
    'tmp_dir = "/run/libpod"',
    `static_dir = ${q(join(dir, 'storage', 'libpod'))}`,
    `volume_path = ${q(join(dir, 'storage', 'volumes'))}`,
    `image_copy_tmp_dir = ${q(join(dir, 'tmp'))}`,
    '',
  ].join('\n');
}

/**
 * The shell that starts podman inside the host (its namespaces, its daemons cgroup): binds what must
 * stay the host's own, then execs `podman system service`. $1 the host's podman directory.
 */
const PRELUDE = `set -e
dir=$1; shift
mkdir -p "$dir/tmp" "$dir/storage" "$dir/networks" /run/podman
printf '#!/bin/sh\\nexit 1\\n' > "$dir/no-package-db"
chmod 755 "$dir/no-package-db"
for p in /usr/bin/dpkg /usr/bin/dpkg-query /usr/bin/rpm; do
  if [ -e "$p" ]; then mount -n --bind "$dir/no-package-db" "$p"; fi
done
printf 'nameserver ${MACHINE_ADDRESS}\\n' > /run/resolv.conf
mount -n --bind /run/resolv.conf /etc/resolv.conf
mount -n --bind "$dir/tmp" /var/tmp
export CONTAINERS_CONF="$dir/containers.conf" TMPDIR="$dir/tmp"
exec "$@"`;

export async function preparePodman(
  sys: BoxSystem,
  _stateDir: string,
  spec: Extract<EngineSpec, { kind: 'podman' }>,
): Promise<HostEngine> {
  const [podman, sh] = await Promise.all([sys.findProgram('podman'), sys.findProgram('sh')]);
  if (!podman || !sh) {
    throw new LabError('prerequisite', '--engine …=podman: podman is not installed', {
      hint: 'lab box install (installs Debian’s podman package)',
    });
  }
  return {
    spec,
    socketInHost: PODMAN_SOCKET_IN_HOST,
    configFile: (files) => join(podmanDir(files), 'containers.conf'),
    daemonArgv: (files) => [
      sh,
      '-c',
      PRELUDE,
      'lab-box-podman',
      podmanDir(files),
      podman,
      '--root',
      join(podmanDir(files), 'storage'),
      '--runroot',
      '/run/podman-runroot',
      '--network-config-dir',
      join(podmanDir(files), 'networks'),
      'system',
      'service',
      '--time=0',
      `unix://${PODMAN_SOCKET_IN_HOST}`,
    ],
    daemonConfig: (input) => renderContainersConf(input.dataRoot, input),
  };
}
