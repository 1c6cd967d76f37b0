/** The SSH layer's public surface: one kept connection per host, as a HostShell. */
export type { CheckedExec, ExecOptions, ExecResult, HostShell } from './host-shell.js';
export { connectHost, type ConnectOptions } from './connect.js';
export { checked, requireSuccess, runChecked, type CheckedShell } from './checked.js';
export { quoteCommand, quoteWord } from './quote.js';
export { createSshStats, type SshStats } from './stats.js';
export type { SshLogger } from './logger.js';
export { fingerprintSha256, knownHostsName } from './known-hosts.js';
