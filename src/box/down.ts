import { LabError } from '../common/errors.js';
import type { BoxSystem } from './system/system.js';
import { teardownBox, type TeardownReport } from './teardown.js';
import { networkTools } from './system/tools.js';

export interface DownResult extends TeardownReport {
  durationMs: number;
}

/** Removes the box and everything it left; "no box" is a success. Needs only root, ip and iptables. */
export async function boxDown(sys: BoxSystem, stateDir: string): Promise<DownResult> {
  if (!sys.isRoot) {
    throw new LabError('prerequisite', 'lab box down must run as root', {
      hint: 'sudo lab box down',
    });
  }
  const tools = await networkTools(sys);
  const started = sys.clock.now();
  const report = await teardownBox(sys, stateDir, tools);
  return { ...report, durationMs: sys.clock.now() - started };
}
