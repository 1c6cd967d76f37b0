/**
 * `lab box up --harden HOST`: a host as hardening guides leave a server, so that lab's second way to
 * the Engine (docker system dial-stdio, through sudo) is tested for real (docs/box.md, Hardened hosts):
 *
 * - its sshd has `DisableForwarding yes`: no direct-streamlocal channel to the Docker socket, no
 *   TCP forwarding (so it cannot be a jump host);
 * - the login user `labuser` is not in the docker group (the socket refuses it) but has sudo without a
 *   password, as on sites that keep the docker group empty;
 * - a second login, `labpass`, has neither the docker group nor passwordless sudo: sudo wants a
 *   password, which lab never types (`sudo -n`).
 */
import { LabError } from '../../common/errors.js';
import { BOX_LOGIN } from '../layout.js';
import { hostName } from '../network/names.js';

/** The login whose sudo wants a password: on hardened hosts only. */
export const PASSWORD_SUDO_LOGIN = {
  user: 'labpass',
  uid: 60502,
  home: '/run/home/labpass',
} as const;

/** Lines for the hardened host's sshd_config, before any Match block. */
export const HARDENED_SSHD_LINES: readonly string[] = [
  // What many hardening guides set: every kind of forwarding off, stream-local included.
  'DisableForwarding yes',
];

/** One line for `lab box status` and `box up`. */
export const HARDENED_TEXT = `sshd DisableForwarding yes; ${BOX_LOGIN.user} not in the docker group (sudo without a password); ${PASSWORD_SUDO_LOGIN.user}: sudo wants a password`;

/**
 * Checks --harden names against the box's hosts; a host others sit behind cannot be hardened: its
 * sshd would refuse the forwarded channel to them.
 */
export function checkHarden(
  hostCount: number,
  harden: readonly string[],
  behind: Readonly<Record<string, string>>,
): void {
  const names = new Set(Array.from({ length: hostCount }, (_, i) => hostName(i + 1)));
  const seen = new Set<string>();
  for (const host of harden) {
    const problem = !names.has(host)
      ? `there is no ${host} in a box of ${hostCount} host(s)`
      : seen.has(host)
        ? `${host} is named twice`
        : Object.values(behind).includes(host)
          ? `${host} is a jump host (--behind), and a hardened sshd refuses forwarded channels`
          : undefined;
    if (problem) {
      throw new LabError('input', `--harden ${host}: ${problem}`, {
        hint: '--harden server2 hardens server2 (repeatable)',
      });
    }
    seen.add(host);
  }
}

/**
 * Shell lines for the anchor, after the login user exists (anchor.ts): labuser leaves the docker
 * group, and labpass is made, with sudo that wants a password and the box's key.
 */
export function hardenedLoginScript(etc: string, authorizedKeys: string): string[] {
  const { user } = BOX_LOGIN;
  const pass = PASSWORD_SUDO_LOGIN;
  return [
    // Out of the docker group's member list: "docker:x:105:labuser,alice" → "docker:x:105:alice".
    `sed -i -e '/^docker:/{s/\\([:,]\\)${user}\\(,\\|$\\)/\\1/;s/,$//}' ${etc}/group`,
    `grep -q '^${pass.user}:' ${etc}/passwd || echo '${pass.user}:x:${pass.uid}:${pass.uid}:lab box login, sudo with a password:${pass.home}:/bin/bash' >> ${etc}/passwd`,
    // No password can match '*', so sudo is never satisfied; unlike '!' sshd still lets the key in.
    `grep -q '^${pass.user}:' ${etc}/shadow || echo '${pass.user}:*:20000:0:99999:7:::' >> ${etc}/shadow`,
    `grep -q '^${pass.user}:' ${etc}/group || echo '${pass.user}:x:${pass.uid}:' >> ${etc}/group`,
    `echo '${pass.user} ALL=(ALL) ALL' >> ${etc}/sudoers`,
    `mkdir -p ${pass.home}/.ssh`,
    `cp ${authorizedKeys} ${pass.home}/.ssh/authorized_keys`,
    `chown -R ${pass.uid}:${pass.uid} ${pass.home}`,
  ];
}
