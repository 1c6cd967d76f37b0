/**
 * Bringing a host into the scenario's swarm. A swarm that already spans the hosts is used as it is
 * (and left on `lab down`); otherwise the manager initialises one, marks its node as lab's, and the
 * workers join it. Preflight (decide.ts) has already refused every mix lab will not touch.
 */
import { LabError } from '../common/errors.js';
import { LABEL, ownershipLabels } from '../plan/labels.js';
import type { SwarmStep } from '../plan/model.js';
import type { StepOutcome } from '../plan/outcome.js';
import type { HostSession } from '../host/session.js';
import { swarmCommands } from '../plan/swarm-commands.js';
import {
  GWBRIDGE,
  GWBRIDGE_OPTIONS,
  SWARM_CREATED,
  SWARM_KIND,
  SWARM_LABEL,
} from '../plan/swarm-labels.js';

export async function applySwarm(
  session: HostSession,
  step: SwarmStep,
  manager: () => HostSession,
  scenario: string,
): Promise<StepOutcome> {
  const info = await session.docker.info();
  const node = info.swarmNode;
  if (step.role === 'manager') {
    if (info.swarm === 'active' && node?.isManager) {
      const labels = (await session.docker.inspectNode(node.nodeId))?.labels ?? {};
      const ours = labels[SWARM_LABEL] === SWARM_CREATED && labels[LABEL.scenario] === scenario;
      const detail = ours
        ? 'already manager of the swarm lab made'
        : 'already manager of a swarm lab did not make (used as it is, left on lab down)';
      return { step, action: 'unchanged', detail, commands: [] };
    }
    if (info.swarm !== 'inactive') throw notReady(session.host, info.swarm, node?.isManager);
    await ensureGwbridge(session, scenario);
    const id = await session.docker.swarmInit({
      advertiseAddress: step.advertiseAddress,
      ...(step.addressPool !== undefined && { defaultAddressPool: [step.addressPool] }),
      ...(step.poolSize !== undefined && { subnetSize: step.poolSize }),
    });
    await session.docker.addNodeLabels(id, step.labels);
    return {
      step,
      action: 'created',
      detail: `swarm created, ${session.host} is its manager (node ${id.slice(0, 12)}, marked ${SWARM_LABEL}=${SWARM_CREATED})`,
      commands: swarmCommands(step).filter((c) => !c.startsWith('#')),
    };
  }
  const m = manager();
  const managerNode = (await m.docker.info()).swarmNode;
  if (info.swarm === 'active' && node) {
    if (managerNode && node.managers.some((x) => x.nodeId === managerNode.nodeId)) {
      return {
        step,
        action: 'unchanged',
        detail: `already in ${step.manager}'s swarm`,
        commands: [],
      };
    }
    throw new LabError('conflict', `${session.host} is in another swarm than ${step.manager}'s`, {
      host: session.host,
      hint: `docker swarm leave on ${session.host}, or join it to ${step.manager}'s swarm yourself`,
    });
  }
  if (info.swarm !== 'inactive') throw notReady(session.host, info.swarm, false);
  await ensureGwbridge(session, scenario);
  const token = await m.docker.swarmWorkerToken();
  await session.docker.swarmJoin({
    advertiseAddress: step.advertiseAddress,
    managers: [step.managerAddress],
    token,
  });
  return {
    step,
    action: 'created',
    detail: `joined ${step.manager}'s swarm as a worker`,
    commands: swarmCommands(step).filter((c) => !c.startsWith('#')),
  };
}

function notReady(host: string, state: string, isManager: boolean | undefined): LabError {
  return new LabError(
    'conflict',
    `${host}: the swarm state is ${state}${isManager === false && state === 'active' ? ' (a worker, not a manager)' : ''}; lab will not change it`,
    {
      host,
      hint: 'bring the node to a healthy state or out of the swarm (docker swarm leave), then run again',
    },
  );
}

/** Made by lab, with labels, before Docker would make it without any: see labels.ts. */
async function ensureGwbridge(session: HostSession, scenario: string): Promise<void> {
  if (await session.docker.inspectNetwork(GWBRIDGE)) return;
  await session.docker.createNetwork({
    name: GWBRIDGE,
    driver: 'bridge',
    options: { ...GWBRIDGE_OPTIONS },
    labels: { ...ownershipLabels(scenario, session.host), [LABEL.kind]: SWARM_KIND },
  });
}
