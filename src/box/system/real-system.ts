import { CGROUP_ROOT } from './cgroups.js';
import { systemClock } from '../../common/clock.js';
import { engineOverSocket } from '../host/engine-socket.js';
import { NodeRunner } from './node-runner.js';
import { programFinder } from '../prerequisites.js';
import { procfs } from './processes.js';
import { probeSshBanner } from '../host/ssh-banner.js';
import type { BoxSystem } from './system.js';

/** Where root's programs live even when the caller's PATH lacks the sbin directories. */
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface RealSystemOptions {
  env: Readonly<Record<string, string | undefined>>;
  isRoot: boolean;
  report: (line: string) => void;
}

/** The BoxSystem of the real machine, from values the CLI edge (or a test's setup) read once. */
export function realBoxSystem(options: RealSystemOptions): BoxSystem {
  const searchPath = [
    ...new Set([...(options.env.PATH ?? '').split(':').filter(Boolean), ...SYSTEM_DIRS]),
  ];
  // dockerd finds containerd, runc and docker-proxy on PATH: give it the full one.
  const env = { ...options.env, PATH: searchPath.join(':') };
  return {
    runner: new NodeRunner(env),
    clock: systemClock,
    procs: procfs,
    engine: engineOverSocket,
    sshProbe: probeSshBanner,
    findProgram: programFinder(searchPath),
    isRoot: options.isRoot,
    cgroupRoot: CGROUP_ROOT,
    report: options.report,
  };
}
