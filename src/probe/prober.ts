/**
 * One prober: a short-lived container in the source container's network namespace
 * (`--network container:ID`: same interfaces, addresses, routes, resolver), from a small image that
 * has ping whatever the source's own image has. Its only process is the probe script, its output is
 * read through attach, and it is created with AutoRemove: it disappears by itself when the script
 * ends, which the script always does on its own (every ping and lookup is bounded), so nothing is
 * left behind even if lab dies meanwhile.
 */
import type { DockerClient, ExecOutcome } from '../docker/docker-client.js';
import { isLabError, LabError, errorText } from '../common/errors.js';
import { LABEL } from '../plan/labels.js';
import { PROBE_KIND, PROBE_UNTIL_LABEL } from './discover.js';

/** Labels of every prober: lab.kind=probe keeps it out of discovery; lab.probe.run finds a run's own. */
export const PROBE_RUN_LABEL = 'lab.probe.run';

export interface ProberRequest {
  docker: DockerClient;
  host: string;
  source: { id: string; name: string };
  image: string;
  script: string;
  runId: string;
  /** Default `container:ID` of the source; `host` for a host's own row. */
  networkMode?: string;
  /** How long the script may run before the prober is removed. */
  timeoutMs: number;
  /** Epoch ms after which a prober still there was left behind (a later run removes it). */
  until: number;
  now?: () => number;
}

export interface ProberOutcome {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
}

export function proberLabels(
  host: string,
  runId: string,
  source: string,
  until: number,
): Record<string, string> {
  return {
    [LABEL.managed]: 'true',
    [LABEL.kind]: PROBE_KIND,
    [LABEL.host]: host,
    [PROBE_RUN_LABEL]: runId,
    [PROBE_UNTIL_LABEL]: String(Math.round(until)),
    'lab.probe.source': source,
  };
}

/** Deterministic, so that an interrupted run can remove exactly its probers by name. */
export function proberName(runId: string, source: string): string {
  return `lab-probe-${runId}-${source}`.slice(0, 120);
}

export async function runProber(req: ProberRequest): Promise<ProberOutcome> {
  return timedProbe(
    req.now ?? (() => performance.now()),
    () =>
      req.docker.run(
        {
          name: proberName(req.runId, req.source.name),
          image: req.image,
          command: ['sh', '-c', req.script],
          labels: proberLabels(req.host, req.runId, req.source.name, req.until),
          networkMode: req.networkMode ?? `container:${req.source.id}`,
          autoRemove: true,
        },
        { timeoutMs: req.timeoutMs },
      ),
    {
      host: req.host,
      what: `the prober for ${req.source.name} (image ${req.image})`,
      command: `docker run --rm --network ${req.networkMode ?? `container:${req.source.name}`} ${req.image}`,
    },
  );
}

/**
 * The probe script as an exec in the source container itself: for a source that runs the probe
 * image, the same namespace and the same tools without a container of its own.
 */
export async function runInSource(
  req: Pick<ProberRequest, 'docker' | 'host' | 'source' | 'script' | 'timeoutMs' | 'now'>,
): Promise<ProberOutcome> {
  return timedProbe(
    req.now ?? (() => performance.now()),
    () => req.docker.exec(req.source.id, ['sh', '-c', req.script], { timeoutMs: req.timeoutMs }),
    {
      host: req.host,
      what: `the probe script in ${req.source.name}`,
      command: `docker exec ${req.source.name} sh -c …`,
    },
  );
}

/** A probe script's outcome and duration, however it ran; a failure to run it as a LabError. */
async function timedProbe(
  now: () => number,
  run: () => Promise<ExecOutcome>,
  about: { host: string; what: string; command: string },
): Promise<ProberOutcome> {
  const started = now();
  try {
    const r = await run();
    return {
      stdout: r.stdout,
      stderr: r.stderr,
      exitCode: r.exitCode,
      timedOut: r.timedOut === true,
      durationMs: Math.round(now() - started),
    };
  } catch (err) {
    if (isLabError(err)) throw err;
    throw new LabError(
      'remote',
      `${about.host}: ${about.what} failed: ${errorText(err)}`,
      { host: about.host, command: about.command, durationMs: Math.round(now() - started) },
      { cause: err },
    );
  }
}

/** Removes every prober of a run that is still there (normally none): the last safety net. */
export async function sweepProbers(docker: DockerClient, runId: string): Promise<number> {
  const left = await docker.listContainers({ labels: { [PROBE_RUN_LABEL]: runId } });
  await Promise.all(left.map((c) => docker.removeContainer(c.id)));
  return left.length;
}
