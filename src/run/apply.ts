import { LabError } from '../common/errors.js';
import { explainParentHeld } from './parent-held.js';
import { isOwnedBy, LABEL } from '../plan/labels.js';
import type { ContainerStep, HostPlan, NetworkStep, NicStep } from '../plan/model.js';
import { stepCommands } from '../plan/commands.js';
import { nicCommands, saveNicCommand, type LinkState } from '../host/nic-state.js';
import type { HostFacts } from './preflight.js';
import { runPrivilegedScript } from './script.js';
import type { HostSession } from '../host/session.js';
import type { StepOutcome } from '../plan/outcome.js';

/** NIC states saved by lab versions before the state file: still read (and removed) by `lab down`. */
export const NIC_STATE_KIND = 'nic-state';
export const NIC_LABEL = { interface: 'lab.nic.interface', state: 'lab.nic.saved' } as const;

/**
 * Brings every NIC of the host to what the plan asks, in one remote script. Before the first change
 * to a NIC, the same script saves its state in a small file on the host (nic-state.ts), so `lab down`
 * can restore it after a crash, a changed scenario file, or with the Docker Engine dead.
 */
export async function applyNics(
  session: HostSession,
  plan: HostPlan,
  facts: HostFacts,
  scenario: string,
): Promise<StepOutcome[]> {
  const nicSteps = plan.steps.filter((s): s is NicStep => s.kind === 'nic');
  if (nicSteps.length === 0) return [];
  const planned = nicSteps.map((step) => ({
    step,
    commands: nicCommands(step, facts.links.get(step.interface)),
  }));
  const saves = planned
    .filter((p) => p.commands.length > 0)
    .map(({ step }) => {
      const current: LinkState | undefined = facts.links.get(step.interface);
      return saveNicCommand(scenario, {
        interface: step.interface,
        existed: current !== undefined,
        up: current?.up ?? false,
        promisc: current?.promisc ?? false,
      });
    });
  const all = planned.flatMap((p) => p.commands);
  if (all.length > 0) await runPrivilegedScript(session, [...saves, ...all], 'preparing the NICs');
  return planned.map(({ step, commands }) => ({
    step,
    action:
      commands.length === 0 ? 'unchanged' : facts.links.has(step.interface) ? 'changed' : 'created',
    detail:
      commands.length === 0
        ? 'already as asked'
        : commands.map((c) => c.slice(3).join(' ')).join(', '),
    commands: commands.map((c) => c.join(' ')),
  }));
}

/** Creates the network unless an identical one made by lab is there; recreates one lab made differently. */
export async function applyNetwork(
  session: HostSession,
  step: NetworkStep,
  scenario: string,
): Promise<StepOutcome> {
  const existing = await session.docker.inspectNetwork(step.name);
  if (existing && !isOwnedBy(existing.labels, scenario)) {
    throw new LabError(
      'conflict',
      `network ${step.name} on ${session.host} was not made by lab for ${scenario}; not touching it`,
      { host: session.host },
    );
  }
  if (existing && existing.labels[LABEL.spec] === step.labels[LABEL.spec]) {
    return { step, action: 'unchanged', detail: 'already as asked', commands: [] };
  }
  if (existing) {
    // The scenario changed since the network was made: its containers (ours) go with it and are
    // recreated by their own steps.
    for (const c of existing.containers) {
      const info = await session.docker.inspectContainer(c.name);
      if (info && isOwnedBy(info.labels, scenario)) await session.docker.removeContainer(info.id);
    }
    await session.docker.removeNetwork(existing.id);
  }
  await session.docker
    .createNetwork({
      name: step.name,
      driver: step.driver,
      ...(step.subnet !== undefined && { subnet: step.subnet }),
      ...(step.gateway !== undefined && { gateway: step.gateway }),
      options: step.options,
      labels: step.labels,
      ...(step.attachable !== undefined && { attachable: step.attachable }),
      ...(step.internal !== undefined && { internal: step.internal }),
    })
    .catch(async (err: unknown) => {
      throw await explainParentHeld(session, err);
    });
  return {
    step,
    action: existing ? 'changed' : 'created',
    detail: existing ? 'recreated with the scenario’s new settings' : describeNetwork(step),
    commands: stepCommands(step),
  };
}

function describeNetwork(step: NetworkStep): string {
  const parts = [step.driver];
  if (step.subnet) parts.push(step.subnet);
  if (step.options['parent']) parts.push(`on ${step.options['parent']}`);
  return parts.join(' ');
}

/** Creates and starts the container unless an identical one made by lab is running. */
export async function applyContainer(
  session: HostSession,
  step: ContainerStep,
  scenario: string,
): Promise<StepOutcome> {
  const existing = await session.docker.inspectContainer(step.name);
  if (existing && !isOwnedBy(existing.labels, scenario)) {
    throw new LabError(
      'conflict',
      `container ${step.name} on ${session.host} was not made by lab for ${scenario}; not touching it`,
      { host: session.host },
    );
  }
  if (existing && existing.labels[LABEL.spec] === step.labels[LABEL.spec]) {
    if (existing.running)
      return { step, action: 'unchanged', detail: 'already running as asked', commands: [] };
    await session.docker.startContainer(existing.id);
    return {
      step,
      action: 'started',
      detail: 'was stopped; started',
      commands: [`docker start ${step.name}`],
    };
  }
  if (existing) await session.docker.removeContainer(existing.id);
  const [first, ...rest] = step.networks;
  await session.docker.createContainer({
    name: step.name,
    image: step.image,
    hostname: step.name,
    ...(step.command !== undefined ? { command: step.command } : { interactive: true }),
    labels: step.labels,
    ...(first && {
      network: { name: first.network, ...(first.ipv4 !== undefined && { ipv4: first.ipv4 }) },
    }),
    ...(step.publish !== undefined && { publish: step.publish }),
  });
  for (const n of rest) await session.docker.connectNetwork(n.network, step.name, n.ipv4);
  await session.docker.startContainer(step.name);
  const addresses = step.networks
    .map((n) => `${n.network}${n.ipv4 ? ` ${n.ipv4}` : ''}`)
    .join(', ');
  return {
    step,
    action: existing ? 'changed' : 'created',
    detail: `${existing ? 'recreated' : 'running'}: ${step.image} on ${addresses}`,
    commands: stepCommands(step),
  };
}
