import type { Step } from './model.js';

/** What applying a plan step did on its host. */
export type StepAction = 'created' | 'changed' | 'started' | 'unchanged';

export interface StepOutcome {
  step: Step;
  action: StepAction;
  /** What was done, in words ("promisc on", "already as asked"). */
  detail: string;
  /** The commands a person would have typed for what was actually done (empty when unchanged). */
  commands: string[];
}
