/**
 * Runs the observations (observations.ts) at the executor's fixed points and emits what each showed.
 * Read-only commands; one that fails is shown failing, never stops the run. Hosts are looked at in
 * parallel, their observations in order, and emitted in plan order so the transcript reads straight.
 */
import { errorText } from '../common/errors.js';
import { bridgeName } from '../docker/bridge.js';
import type { Plan } from '../plan/model.js';
import type { ObservationPhase, RunEventSink, RunObserver } from '../run/events.js';
import type { HostSession } from '../host/session.js';
import { quoteCommand } from '../ssh/quote.js';
import {
  afterObservations,
  beforeObservations,
  checkObservations,
  type Observation,
} from './observations.js';

interface Seen {
  command: string;
  output: string;
  exitCode: number | null;
}

async function look(
  session: HostSession | undefined,
  o: Observation,
  timeoutMs: number,
): Promise<Seen> {
  if (!session) return { command: '', output: `no session to ${o.host}`, exitCode: null };
  try {
    if (o.kind === 'container') {
      const r = await session.docker.exec(o.container, o.argv, { timeoutMs });
      return {
        command: `docker exec ${o.container} ${quoteCommand(o.argv)}`,
        output: `${r.stdout}${r.stderr}`,
        exitCode: r.exitCode,
      };
    }
    let argv: string[];
    if (o.kind === 'bridge') {
      const n = await session.docker.inspectNetwork(o.network);
      if (!n)
        return {
          command: `docker network inspect ${o.network}`,
          output: 'no such network',
          exitCode: 1,
        };
      argv = ['ip', 'addr', 'show', bridgeName(n)];
    } else argv = o.argv;
    const r = await session.shell.exec(argv, {
      timeoutMs,
      ...(o.kind === 'host' && o.become && { become: true }),
    });
    return { command: quoteCommand(argv), output: `${r.stdout}${r.stderr}`, exitCode: r.exitCode };
  } catch (err) {
    return {
      command: '',
      output: errorText(err),
      exitCode: null,
    };
  }
}

export function transcriptObserver(
  plan: Plan,
  options: { now: () => number; timeoutMs: number },
): RunObserver {
  const run = async (
    list: Observation[],
    phase: ObservationPhase,
    sessions: ReadonlyMap<string, HostSession>,
    emit: RunEventSink['emit'],
  ) => {
    const byHost = new Map<string, Observation[]>();
    for (const o of list) byHost.set(o.host, [...(byHost.get(o.host) ?? []), o]);
    const seen = new Map<Observation, Seen>();
    await Promise.all(
      [...byHost].map(async ([host, mine]) => {
        for (const o of mine) seen.set(o, await look(sessions.get(host), o, options.timeoutMs));
      }),
    );
    for (const o of list) {
      const s = seen.get(o);
      if (!s) continue;
      emit({ type: 'observation', at: options.now(), host: o.host, phase, title: o.title, ...s });
    }
  };
  return {
    beforeChanges: (sessions, emit) => run(beforeObservations(plan), 'before', sessions, emit),
    afterSteps: (sessions, emit) => run(afterObservations(plan), 'after', sessions, emit),
    afterChecks: (sessions, emit, results) =>
      run(checkObservations(results.checks), 'checks', sessions, emit),
  };
}
