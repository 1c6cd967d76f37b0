/**
 * Counters of SSH work, injected by the caller (one per run) so a benchmark or report can say how
 * many connections a run opened. Plain numbers, updated in place.
 */
export interface SshStats {
  /** SSH connections that completed login. */
  connectionsOpened: number;
  /** Commands run on a session channel (exec and script). */
  commandsRun: number;
  /** direct-streamlocal channels opened (Docker API connections, among others). */
  unixSocketsOpened: number;
}

export function createSshStats(): SshStats {
  return { connectionsOpened: 0, commandsRun: 0, unixSocketsOpened: 0 };
}
