/**
 * Probe lines → one result per cell: judged when its probe ran, ERROR with the reason when it could
 * not (blocked, host failed, prober failed, line missing); each with the command that repeats it.
 */
import type { SshTarget } from '../ssh/target.js';
import type { Matrix, MatrixCell, MatrixIndex } from './matrix-model.js';
import { judgedProbe, probeNotRun, type CellResult } from './probe-result.js';
import { againstTheSeed } from '../plan/claim-outcome.js';
import type { SourceResult } from './probe-sources.js';
import type { PortSpec } from '../common/port.js';
import { probeCommand, sshCommand } from './reproduce.js';

export interface ResultInputs {
  matrix: Matrix;
  index: MatrixIndex;
  /** The probers' results, by source key. */
  probed: ReadonlyMap<string, Pick<SourceResult, 'lines' | 'error'>>;
  tagOf: ReadonlyMap<MatrixCell, string>;
  /** Why a host's cells could not be probed, by host. */
  hostErrors: ReadonlyMap<string, string>;
  imageOf: ReadonlyMap<string, string>;
  targetOf: ReadonlyMap<string, SshTarget>;
  timeoutSeconds: number;
}

/** The outside row's probe, repeated by hand on this machine from the outside address. */
function outsideCommand(
  from: string,
  to: string,
  port: PortSpec | undefined,
  timeoutSeconds: number,
): string {
  const udp = port?.protocol === 'udp' ? ' -u' : '';
  return `nc${udp} -w ${Math.ceil(timeoutSeconds)} -s ${from} ${to} ${port?.port ?? ''} </dev/null`;
}

export function cellResults(inputs: ResultInputs): CellResult[] {
  const { matrix } = inputs;
  const { sources, targets } = inputs.index;
  return matrix.cells.map((cell): CellResult => {
    const source = sources.get(cell.source);
    const target = targets.get(cell.target);
    const kind = target?.kind === 'name' ? 'name' : 'ip';
    const result = inputs.probed.get(cell.source);
    const tag = inputs.tagOf.get(cell);
    const line = tag ? result?.lines.get(tag) : undefined;
    const command = source?.outsideSource
      ? outsideCommand(source.host, target?.address ?? '', target?.port, inputs.timeoutSeconds)
      : probeCommand({
          container: source?.name ?? cell.source,
          ...(source?.hostSource && { network: 'host' }),
          image: inputs.imageOf.get(source?.host ?? '') ?? '',
          kind,
          dest: target?.address ?? '',
          ...(line?.iface && { iface: line.iface }),
          timeoutSeconds: inputs.timeoutSeconds,
          ...(target?.port && { port: target.port }),
        });
    // No command can repeat a probe from a source that is not there to run it.
    const runnable = source?.unavailable === undefined;
    const base = {
      cell,
      address: target?.address ?? '',
      command: runnable ? command : '',
      reproduce: !runnable
        ? ''
        : source?.outsideSource
          ? command
          : sshCommand(inputs.targetOf.get(source?.host ?? ''), command),
    };
    const why =
      cell.blocked ??
      (source && inputs.hostErrors.get(source.host)) ??
      (!line && result?.error ? result.error.message : undefined);
    if (why !== undefined && !line) return { ...base, ...probeNotRun(why) };
    const judged = judgedProbe(cell.expect, line, kind, target?.port, inputs.timeoutSeconds);
    return { ...base, ...judged, outcome: againstTheSeed(judged.outcome, cell.seed) };
  });
}
