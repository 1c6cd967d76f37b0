import { access, readFile } from 'node:fs/promises';
import { LabError, tail } from '../common/errors.js';
import { pollUntil } from '../common/clock.js';
import { quoteWord } from '../ssh/quote.js';
import { hardenedLoginScript } from './host/harden.js';
import { BOX_LOGIN, IN_HOST } from './layout.js';
import { anchorTag } from './network/names.js';
import { isAlive, processRef } from './system/processes.js';
import type { Programs } from './prerequisites.js';
import type { ProcessRef } from './state.js';
import type { BoxSystem } from './system/system.js';

/**
 * The anchor is one small process per host that owns the host's hostname (UTS namespace) and its
 * private mount namespace with its own tmpfs /run. sshd and dockerd join it (nsenter -t ANCHOR), so
 * that they share the host's network, hostname and /run; /run/docker.sock is then the host's socket
 * for everything started inside the host, an SSH session included, exactly as on a real host.
 *
 * The script runs inside `unshare --mount --propagation private`: its mounts never reach the machine.
 * It first drops its copies of the machine's /run/netns handles, or each host's mount namespace would
 * keep the other hosts' network namespaces alive after `ip netns delete`. `-n`: no /run/mount/utab
 * bookkeeping on the machine's disk.
 *
 * root's home is a fresh one, seeded from /etc/skel as on a newly installed server: sshd runs every
 * session through root's bash, which reads ~/.bashrc even for `bash -c`, and this machine's own
 * ~/.bashrc may do anything (here it runs `pyenv init`, some 100 processes, ~60–160 ms per session).
 */
export interface AnchorSpec {
  host: string;
  netnsPath: string;
  /** The box's authorized_keys, copied for the login user (the state directory is root's only). */
  authorizedKeys: string;
  /** `lab box up --harden`: the login user without the docker group, and labpass (host/harden.ts). */
  hardened?: boolean;
}

export function anchorScript(
  spec: Pick<AnchorSpec, 'host' | 'authorizedKeys' | 'hardened'>,
): string {
  return [
    'set -e',
    `echo ${spec.host} > /proc/sys/kernel/hostname`,
    'umount -n -R -l /run/netns 2>/dev/null || true',
    `mount -n -t tmpfs -o mode=0755,size=64m lab-box-run ${IN_HOST.run}`,
    'mkdir -p /run/sshd',
    `mount -n -t tmpfs -o mode=0700,size=16m lab-box-home ${IN_HOST.rootHome}`,
    `cp -R /etc/skel/. ${IN_HOST.rootHome}/ 2>/dev/null || true`,
    ...loginUserScript(spec.host, spec.authorizedKeys, spec.hardened ?? false),
    `touch ${IN_HOST.anchorReady}`,
    // Stay alive as the namespaces' owner; `down` kills it (and this sleep) through the host's cgroup.
    'while :; do sleep 86400; done',
  ].join('\n');
}

/**
 * BOX_LOGIN inside this host only: its own copies of the user and group files, sudoers and hosts
 * (so that sudo can resolve the hostname), bound over the machine's in the host's mount namespace.
 */
function loginUserScript(host: string, authorizedKeys: string, hardened: boolean): string[] {
  const { user, uid, home, dockerGid } = BOX_LOGIN;
  const etc = `${IN_HOST.run}/lab-box-etc`;
  const files = 'passwd group shadow sudoers hosts';
  return [
    `mkdir -p ${etc} ${home}/.ssh`,
    `for f in ${files}; do cp -p /etc/$f ${etc}/$f; done`,
    `grep -q '^${user}:' ${etc}/passwd || echo '${user}:x:${uid}:${uid}:lab box login:${home}:/bin/bash' >> ${etc}/passwd`,
    `grep -q '^${user}:' ${etc}/shadow || echo '${user}:*:20000:0:99999:7:::' >> ${etc}/shadow`,
    `grep -q '^${user}:' ${etc}/group || echo '${user}:x:${uid}:' >> ${etc}/group`,
    `grep -q '^docker:' ${etc}/group || echo 'docker:x:${dockerGid}:' >> ${etc}/group`,
    // Into the docker group's member list, once: "docker:x:105:" or "docker:x:105:alice".
    `sed -i -e '/^docker:/{/[:,]${user}\\(,\\|$\\)/!{s/:$/:${user}/;t;s/$/,${user}/}}' ${etc}/group`,
    `echo '${user} ALL=(ALL) NOPASSWD: ALL' >> ${etc}/sudoers`,
    `echo '127.0.1.1 ${host}' >> ${etc}/hosts`,
    `cp ${quoteWord(authorizedKeys)} ${home}/.ssh/authorized_keys`,
    `chown -R ${uid}:${uid} ${home}`,
    ...(hardened ? hardenedLoginScript(etc, quoteWord(authorizedKeys)) : []),
    `for f in ${files}; do mount -n --bind ${etc}/$f /etc/$f; done`,
  ];
}

/** argv that runs `argv` after moving the shell into a cgroup (race-free: before exec, pid kept). */
export function inCgroup(cgroupProcsFile: string, argv: readonly string[]): string[] {
  return ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', cgroupProcsFile, ...argv];
}

export function anchorArgv(programs: Programs, spec: AnchorSpec): string[] {
  return [
    programs.nsenter,
    `--net=${spec.netnsPath}`,
    programs.unshare,
    '--uts',
    '--mount',
    '--propagation',
    'private',
    '/bin/sh',
    '-c',
    anchorScript(spec),
    anchorTag(spec.host),
  ];
}

export async function startAnchor(
  sys: BoxSystem,
  programs: Programs,
  spec: AnchorSpec,
  cgroupProcsFile: string,
  logFile: string,
): Promise<ProcessRef> {
  const { host } = spec;
  const pid = await sys.runner.spawnDaemon(inCgroup(cgroupProcsFile, anchorArgv(programs, spec)), {
    logFile,
  });
  const ref = await processRef(sys.procs, pid);
  const ready = await pollUntil(sys.clock, 10_000, 20, async () => {
    if (!isAlive(await sys.procs.inspect(pid))) return false;
    return access(`/proc/${pid}/root${IN_HOST.anchorReady}`).then(
      () => true,
      () => undefined,
    );
  });
  if (!ready || !ref) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    throw new LabError('remote', `${host}: the namespace anchor did not come up`, {
      host,
      command: 'nsenter --net … unshare --uts --mount … (see docs/box.md)',
      stderrTail: tail(log) || '(no output)',
    });
  }
  return ref;
}
