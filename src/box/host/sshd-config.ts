import { assertInBoxRange } from '../network/address-plan.js';
import { BOX_LOGIN, IN_HOST } from '../layout.js';
import { HARDENED_SSHD_LINES, PASSWORD_SUDO_LOGIN } from './harden.js';

export interface SshdConfigInput {
  host: string;
  listenAddress: string;
  hostKey: string;
  authorizedKeys: string;
  /** `lab box up --harden`: forwarding off (harden.ts). */
  hardened?: boolean;
}

/**
 * One host's sshd_config. Everything not set here keeps OpenSSH's defaults on purpose (MaxSessions 10,
 * MaxStartups 10:30:100): the tool must cope with a real host's limits, so the box must not hide them.
 */
export function renderSshdConfig(input: SshdConfigInput): string {
  assertInBoxRange(input.listenAddress, `sshd listen address for ${input.host}`);
  return [
    `# ${input.host} of the lab box. Written by \`lab box up\`; \`lab box down\` removes it.`,
    `ListenAddress ${input.listenAddress}:22`,
    `HostKey ${input.hostKey}`,
    // Inside the host's own /run (a tmpfs in its mount namespace), like a real host's.
    `PidFile ${IN_HOST.sshdPidFile}`,
    // PAM would need a login stack configured for these "hosts"; keys are all we use.
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    `AuthorizedKeysFile ${input.authorizedKeys}`,
    // The keys are ours, in a root-only state directory that may live anywhere (--state-dir),
    // including under a world-writable one where sshd's ownership walk would refuse them.
    'StrictModes no',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    ...(input.hardened ? HARDENED_SSHD_LINES : []),
    // The login users cannot read the state directory: their copy of the keys is in their own home.
    `Match User ${input.hardened ? `${BOX_LOGIN.user},${PASSWORD_SUDO_LOGIN.user}` : BOX_LOGIN.user}`,
    '    AuthorizedKeysFile .ssh/authorized_keys',
    '',
  ].join('\n');
}
