/**
 * Port cells from outside the hosts: this machine itself connects to every published port from the
 * inventory's outside address (`lab_outside_address`), when that address is one of its own. It never
 * sends from any other address: an outside address that is not this machine's leaves the cells not
 * checked, with the reason. The sockets are behind OutsideProber, injected by the CLI.
 */
import type { PortSpec } from '../common/port.js';
import { systemClock } from '../common/clock.js';
import { errorText } from '../common/errors.js';
import type { MatrixCell, MatrixIndex, Matrix } from './matrix-model.js';
import type { PortState, ProbeLine } from './probe-script.js';
import type { TopoContainer } from './topology.js';

/** The name of the outside source row: "(outside)@198.18.0.254". */
export const OUTSIDE_SOURCE_NAME = '(outside)';

/** What one connection (TCP) or datagram (UDP) from this machine saw, as the probe script words it. */
export interface OutsidePortProbe {
  state: PortState;
  durationMs: number;
}

/** The probe timeout, how long a "must reach" cell keeps trying, and the clock (sleep: systemClock's). */
interface OutsideTiming {
  timeoutSeconds: number;
  waitMs: number;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Connects from `from` to `to`'s port (TCP), or sends it one datagram (UDP), within timeoutMs. */
export interface OutsideProber {
  probe(from: string, to: string, port: PortSpec, timeoutMs: number): Promise<OutsidePortProbe>;
}

/** The outside address, with the prober when it is this machine's, else why its cells are not checked. */
export type OutsideSource =
  { address: string; prober: OutsideProber } | { address: string; notChecked: string };

export function outsideSource(address: string): TopoContainer {
  return {
    host: address,
    id: '',
    name: OUTSIDE_SOURCE_NAME,
    image: '',
    running: true,
    endpoints: [],
    observed: true,
    outsideSource: true,
  };
}

/**
 * Every cell of the outside row, all at once. As in the probe script: a refusal of a port that must
 * be reached is asked again for one second (a server still starting), silence for the whole wait.
 */
export async function probeFromOutside(
  matrix: Matrix,
  index: MatrixIndex,
  outside: { address: string; prober: OutsideProber },
  timing: OutsideTiming,
): Promise<{ lines: Map<string, ProbeLine>; tagOf: Map<MatrixCell, string> }> {
  const lines = new Map<string, ProbeLine>();
  const tagOf = new Map<MatrixCell, string>();
  const cells = matrix.cells.filter(
    (c) => index.sources.get(c.source)?.outsideSource === true && !c.blocked,
  );
  await Promise.all(
    cells.map(async (cell, i) => {
      const target = index.targets.get(cell.target);
      if (!target?.port) return;
      const tag = `o${i + 1}`;
      tagOf.set(cell, tag);
      lines.set(tag, await probeOne(outside, target.address, target.port, cell, timing, tag));
    }),
  );
  return { lines, tagOf };
}

async function probeOne(
  outside: { address: string; prober: OutsideProber },
  to: string,
  port: PortSpec,
  cell: MatrixCell,
  timing: OutsideTiming,
  tag: string,
): Promise<ProbeLine> {
  const started = timing.now();
  let attempts = 0;
  try {
    for (;;) {
      attempts++;
      const r = await outside.prober.probe(
        outside.address,
        to,
        port,
        Math.ceil(timing.timeoutSeconds) * 1000,
      );
      const elapsed = timing.now() - started;
      const final =
        cell.expect !== 'reach' ||
        r.state === 'open' ||
        (port.protocol === 'udp' && r.state === 'silent') ||
        elapsed >= (r.state === 'silent' ? timing.waitMs : 1000);
      if (final) {
        return {
          tag,
          status: r.state === 'open' ? 'reached' : 'not-reached',
          port: r.state,
          attempts,
          durationMs: Math.round(elapsed),
        };
      }
      await (timing.sleep ?? systemClock.sleep)(200);
    }
  } catch (err) {
    return {
      tag,
      status: 'error',
      attempts,
      durationMs: Math.round(timing.now() - started),
      detail: `the probe from this machine (${outside.address}) could not run: ${errorText(err)}`,
    };
  }
}
