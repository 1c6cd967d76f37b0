import { LabError } from '../common/errors.js';
import { assertHostCount } from './network/address-plan.js';
import { createBox } from './build.js';
import { checkPrerequisites } from './prerequisites.js';
import { gatherStatus } from './status.js';
import { boxLayout } from './layout.js';
import { readStateFile, type BoxState } from './state.js';
import type { BoxSystem } from './system/system.js';
import { teardownBox } from './teardown.js';
import { planBox } from './network/topology.js';
import { checkEngineHosts, describeEngines, type EngineChoice } from './engine/spec.js';
import { checkHarden } from './host/harden.js';

export interface UpRequest {
  stateDir: string;
  hostCount: number;
  /** Hosts put behind a jump host: { server3: 'server1' }. */
  behind?: Readonly<Record<string, string>>;
  /** Hosts that run another engine than the machine's dockerd: { server2: docker 26.1 }. */
  engines?: EngineChoice;
  /** Hosts made hardened (host/harden.ts): ['server2']. */
  harden?: readonly string[];
}

export type UpResult =
  | { kind: 'already-up'; state: BoxState }
  | { kind: 'created'; state: BoxState; durationMs: number; cleanedUp: boolean };

/**
 * Brings the box up. A healthy box of the same size is left as it is. A healthy box of another size is
 * refused (run `lab box down` first): rebuilding silently would throw away containers someone may be
 * using. Anything else (a crashed box, a stale state file, leftovers without one) is cleaned up first.
 * If building fails half-way, what was built is removed again and the error is raised.
 */
export async function boxUp(sys: BoxSystem, request: UpRequest): Promise<UpResult> {
  assertHostCount(request.hostCount);
  const behind = request.behind ?? {};
  const engines = request.engines ?? {};
  const harden = request.harden ?? [];
  // Refuses a bad --behind, --engine or --harden before anything is touched.
  const plan = planBox(request.hostCount, behind);
  checkEngineHosts(
    plan.hosts.map((host) => host.name),
    engines,
  );
  checkHarden(request.hostCount, harden, behind);
  const programs = await checkPrerequisites(sys.isRoot, sys.findProgram);
  const tools = { ip: programs.ip, iptables: programs.iptables };
  const started = sys.clock.now();

  const read = await readStateFile(boxLayout(request.stateDir).stateFile);
  if (read.kind === 'present') {
    const status = await gatherStatus(sys, request.stateDir, tools);
    if (status.up && status.healthy) {
      const running = shapeOf(read.state);
      const asked = describeShape(behind, engines, harden);
      if (status.hosts.length === request.hostCount && running === asked)
        return { kind: 'already-up', state: read.state };
      const shape = (count: number, b: string) => `${count} host(s)${b ? ` (${b})` : ''}`;
      throw new LabError(
        'conflict',
        `the box is already up with ${shape(status.hosts.length, running)}, not ${shape(request.hostCount, asked)}`,
        { hint: `run \`lab box down\`, then \`lab box up --hosts ${request.hostCount}\`` },
      );
    }
    if (status.up) {
      const problems = status.hosts
        .filter((host) => !host.healthy)
        .map((host) => `${host.name}: ${host.problems.join(', ')}`);
      sys.report(`the box is not healthy (${problems.join('; ')}); cleaning it up first`);
    }
  } else if (read.kind === 'stale') {
    sys.report(`the box state is stale (${read.reason}); cleaning up first`);
  }

  const cleanup = await teardownBox(sys, request.stateDir, tools);
  if (cleanup.foundAnything) sys.report(`cleaned up an earlier box: ${cleanup.actions.join('; ')}`);

  try {
    const state = await createBox(
      sys,
      programs,
      request.stateDir,
      request.hostCount,
      behind,
      engines,
      harden,
    );
    return {
      kind: 'created',
      state,
      durationMs: sys.clock.now() - started,
      cleanedUp: cleanup.foundAnything,
    };
  } catch (err) {
    sys.report('bringing the box up failed; removing what was made');
    await teardownBox(sys, request.stateDir, tools).catch((cleanupErr: unknown) =>
      sys.report(`cleanup after the failure failed too: ${(cleanupErr as Error).message}`),
    );
    throw err;
  }
}

/** "--behind server3=server1,server4=server1", sorted: how --behind is compared and reported. */
function describeBehind(behind: Readonly<Record<string, string>>): string {
  const list = Object.entries(behind)
    .map(([hidden, jump]) => `${hidden}=${jump}`)
    .sort()
    .join(',');
  return list ? `--behind ${list}` : '';
}

/** "--harden server2,server3", or "" when none. */
function describeHarden(harden: readonly string[]): string {
  return harden.length > 0 ? `--harden ${[...harden].sort().join(',')}` : '';
}

/** "--behind server3=server1 --engine server2=docker 26.1 --harden server2": what makes two boxes of a size differ. */
function describeShape(
  behind: Readonly<Record<string, string>>,
  engines: EngineChoice,
  harden: readonly string[],
): string {
  const e = describeEngines(engines);
  return [describeBehind(behind), e && `--engine ${e}`, describeHarden(harden)]
    .filter(Boolean)
    .join(' ');
}

function shapeOf(state: BoxState): string {
  return describeShape(
    Object.fromEntries(state.hosts.flatMap((h) => (h.behind ? [[h.name, h.behind]] : []))),
    Object.fromEntries(state.hosts.flatMap((h) => (h.engine ? [[h.name, h.engine]] : []))),
    state.hosts.filter((h) => h.hardened).map((h) => h.name),
  );
}
