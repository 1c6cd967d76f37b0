import type { Clock } from '../../common/clock.js';
import type { EngineApi } from '../host/engine-socket.js';
import type { FindProgram } from '../prerequisites.js';
import type { ProcessTable } from './processes.js';
import type { Runner } from './runner.js';
import type { SshProbe } from '../host/ssh-banner.js';

/**
 * Everything the box needs from the machine, injected by the CLI edge (or a test): processes, time,
 * the Docker sockets, the network, and where progress lines go.
 */
export interface BoxSystem {
  runner: Runner;
  clock: Clock;
  procs: ProcessTable;
  engine: EngineApi;
  sshProbe: SshProbe;
  findProgram: FindProgram;
  isRoot: boolean;
  /** /sys/fs/cgroup on a real machine. */
  cgroupRoot: string;
  /** One line of progress for the user. */
  report: (line: string) => void;
}
