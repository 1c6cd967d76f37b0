/** One non-NIC step, whatever its kind, and the words its task shows. */
import type { ContainerStep, NetworkStep, SwarmStep } from '../plan/model.js';
import { applySwarm } from '../swarm/apply.js';
import { applyContainer, applyNetwork } from './apply.js';
import type { StepOutcome } from '../plan/outcome.js';
import type { HostSession } from '../host/session.js';

export type OtherStep = NetworkStep | ContainerStep | SwarmStep;

export function applyStep(
  step: OtherStep,
  session: (host: string) => HostSession,
  scenario: string,
): Promise<StepOutcome> {
  switch (step.kind) {
    case 'network':
      return applyNetwork(session(step.host), step, scenario);
    case 'container':
      return applyContainer(session(step.host), step, scenario);
    case 'swarm':
      return applySwarm(session(step.host), step, () => session(step.manager), scenario);
  }
}

export function stepTitle(step: OtherStep): string {
  return step.kind === 'swarm' ? `swarm (${step.role})` : `${step.kind} ${step.name}`;
}
