/**
 * The run's progress as plain lines ("server1    network mac_net1: created …"), one per thing done:
 * what `lab run` prints when its output is not a terminal (CI logs, pipes), where a tree that redraws
 * itself reads badly. A listener of the executor's events.
 */
import { engineLabel } from '../docker/engines/index.js';
import { stepTitle } from '../run/apply-step.js';
import type { RunEvent, RunEventSink } from '../run/events.js';
import { describeTally, seedNote } from '../run/run-report.js';
import type { StepOutcome } from '../plan/outcome.js';

export function progressLines(write: (line: string) => void): RunEventSink {
  const say = (host: string | undefined, line: string) =>
    write(`${host ? `${host.padEnd(10)} ` : ''}${line}\n`);
  return {
    emit(e: RunEvent) {
      const line = lineOf(e);
      if (line !== undefined) say('host' in e ? e.host : undefined, line);
      if (e.type === 'host-ready') for (const note of e.notes) say(e.host, `note: ${note}`);
    },
  };
}

function lineOf(e: RunEvent): string | undefined {
  switch (e.type) {
    case 'host-ready':
      return `ready (${engineLabel(e.engine)}, API ${e.engine.apiVersion})`;
    case 'host-note':
      return `note: ${e.note}`;
    case 'step-done':
      return outcomeLine(e.outcome);
    case 'step-failed':
      // Said once, in full, by the verdict; here only where it happened.
      return e.because ? undefined : `${e.steps.map(idTitle).join(', ')}: failed`;
    case 'checks-judged':
      return e.tally.expectations.total + e.tally.assertions.total > 0
        ? `${describeTally(e.tally)} hold${seedNote(e.tally)}`
        : undefined;
    default:
      return undefined;
  }
}

/** A finished step in words: "NIC eth0: promisc on", "network mac_net1: unchanged, already as asked". */
export function outcomeLine(o: StepOutcome): string {
  if (o.step.kind === 'nic') return `NIC ${o.step.interface}: ${o.detail}`;
  return `${stepTitle(o.step)}: ${o.action === 'unchanged' ? 'unchanged, ' : ''}${o.detail}`;
}

/** "server1/network/mac_net1" → "network mac_net1"; "server1/nic/eth0" → "NIC eth0". */
export function idTitle(id: string): string {
  const [, kind = '', ...rest] = id.split('/');
  return `${kind === 'nic' ? 'NIC' : kind} ${rest.join('/')}`.trim();
}
