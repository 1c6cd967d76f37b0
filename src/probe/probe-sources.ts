/**
 * The probing engine shared by `lab check connectivity` and `lab run`: one prober per source
 * container, all sources on all hosts at once (bounded per host), each running every probe of its
 * source in parallel. Round trips grow with the number of sources, never with the number of pairs.
 */
import PQueue from 'p-queue';
import type { DockerClient } from '../docker/docker-client.js';
import { isLabError, LabError } from '../common/errors.js';
import { within } from '../common/clock.js';
import { untilInterrupted } from '../common/interrupt.js';
import {
  buildProbeScript,
  parseProbeOutput,
  pingSeconds,
  shareFullSize,
  type ProbeLine,
  type ProbeSpec,
} from './probe-script.js';
import { proberName, runInSource, runProber, sweepProbers } from './prober.js';

export interface SourceJob {
  /** The matrix's key of the source ("vm4@server1", "(host)@server2"), when it has one. */
  key?: string;
  host: string;
  docker: DockerClient;
  source: { id: string; name: string };
  image: string;
  /** The source container's own image: when it is the probe image, the script runs in the source. */
  sourceImage?: string;
  /** The prober's network: default the source container's (`container:ID`); `host` for a host's row. */
  networkMode?: string;
  specs: ProbeSpec[];
}

export interface ProbeSettings {
  /** Reply timeout of one ping, seconds (rounded up to whole seconds: ping's -W). */
  timeoutSeconds: number;
  /** How long "must reach" probes keep trying, ms. */
  waitMs: number;
  /** Labels this run's probers, so that a sweep finds exactly them. */
  runId: string;
  /** Probers at once on one host. */
  perHost: number;
  signal?: AbortSignal;
  now?: () => number;
  /** Wall clock, epoch ms (default Date.now), for the probers' "until" label. */
  wallNow?: () => number;
}

export interface SourceResult {
  job: SourceJob;
  lines: Map<string, ProbeLine>;
  /** Set when the prober itself failed: every probe of the source is then an ERROR with this. */
  error?: LabError;
  durationMs: number;
}

/**
 * The script's own bound (wait, then a name probe's lookup and ping, or a full-size try and the ping
 * after it) with room for a busy host. Every probe of a script runs at once, each a few processes:
 * the room grows with their number (a source with 60 port probes forks hundreds of processes, which
 * a loaded machine takes seconds to start), so a long script is not cut short for being long.
 */
export function proberTimeoutMs(
  s: Pick<ProbeSettings, 'timeoutSeconds' | 'waitMs'>,
  probes = 0,
): number {
  return s.waitMs + 4 * pingSeconds(s.timeoutSeconds) * 1000 + 15_000 + probes * PER_PROBE_MS;
}

/** Room per probe in one script (see proberTimeoutMs). */
export const PER_PROBE_MS = 150;

export async function probeSources(
  jobs: readonly SourceJob[],
  settings: ProbeSettings,
): Promise<SourceResult[]> {
  const now = settings.now ?? (() => performance.now());
  const queues = new Map<DockerClient, PQueue>();
  const t = pingSeconds(settings.timeoutSeconds);
  const timing = { timeoutSeconds: t, waitSeconds: settings.waitMs / 1000 };
  let trouble = false;
  // Ctrl-C: remove every prober; their scripts die with them and each run() returns at once.
  const onAbort = () => {
    for (const j of jobs) {
      void j.docker.removeContainer(proberName(settings.runId, j.source.name)).catch(() => {});
    }
  };
  settings.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.all(
      jobs.map(async (job): Promise<SourceResult> => {
        let queue = queues.get(job.docker);
        if (!queue) {
          queue = new PQueue({ concurrency: settings.perHost });
          queues.set(job.docker, queue);
        }
        const result = await probeSource(job, queue, { settings, timing, now });
        // Every failed prober leaves its error on the result; the sweep below then runs.
        if (result.error) trouble = true;
        return result;
      }),
    );
  } finally {
    settings.signal?.removeEventListener('abort', onAbort);
    // Each prober removes itself; after an error or Ctrl-C, make sure, by this run's label.
    if (trouble || settings.signal?.aborted) {
      const clients = [...new Set(jobs.map((j) => j.docker))];
      const sweeps = Promise.allSettled(clients.map((d) => sweepProbers(d, settings.runId)));
      // After Ctrl-C the removals are already on their way (onAbort) and each prober ends by
      // itself anyway: the sweep may not hold the first Ctrl-C past its second.
      await (settings.signal?.aborted ? within(sweeps, ABORT_SWEEP_MS) : sweeps);
    }
  }
}

type ProbeTiming = Parameters<typeof buildProbeScript>[1];
type ProberOutput = Awaited<ReturnType<typeof runProber>>;

/** How long an interrupted check waits for its last prober sweep. */
const ABORT_SWEEP_MS = 300;

interface SourceRun {
  settings: ProbeSettings;
  timing: ProbeTiming;
  now: () => number;
}

/** Runs one source's probe script in its turn on the host's queue and reads its output. */
async function probeSource(job: SourceJob, queue: PQueue, run: SourceRun): Promise<SourceResult> {
  const { settings, timing, now } = run;
  const started = now();
  try {
    // A script exec'd in the source itself cannot be removed as a prober can: after Ctrl-C it is
    // not waited for (it ends by itself within its wait).
    const waited = await untilInterrupted(
      queue.add(() => runScript(job, settings, timing, now)),
      settings.signal,
      0,
    );
    if (!waited.done) {
      throw new LabError('aborted', 'interrupted: the probe was not waited for', {
        host: job.host,
      });
    }
    const out = waited.value;
    const parsed = parseProbeOutput(out.stdout);
    shareFullSize(job.specs, parsed.lines);
    return judgeOutput(job, out, parsed, Math.round(now() - started));
  } catch (err) {
    return {
      job,
      lines: new Map(),
      durationMs: Math.round(now() - started),
      error: isLabError(err)
        ? err
        : new LabError('remote', String(err), { host: job.host }, { cause: err }),
    };
  }
}

function runScript(
  job: SourceJob,
  settings: ProbeSettings,
  timing: ProbeTiming,
  now: () => number,
): Promise<ProberOutput> {
  if (settings.signal?.aborted) {
    throw new LabError('aborted', `interrupted: the prober for ${job.source.name} did not run`, {
      host: job.host,
    });
  }
  const script = buildProbeScript(job.specs, timing);
  // The source's own image is the one known to have ping: exec there, one container less.
  if (job.sourceImage === job.image) {
    return runInSource({
      docker: job.docker,
      host: job.host,
      source: job.source,
      script,
      timeoutMs: proberTimeoutMs(settings, job.specs.length),
      now,
    });
  }
  return runProber({
    docker: job.docker,
    host: job.host,
    source: job.source,
    image: job.image,
    script,
    runId: settings.runId,
    ...(job.networkMode !== undefined && { networkMode: job.networkMode }),
    timeoutMs: proberTimeoutMs(settings, job.specs.length),
    until: (settings.wallNow ?? Date.now)() + proberTimeoutMs(settings, job.specs.length),
    now,
  });
}

/** The source's result from its script's output; a missing ping or an unfinished script is an error. */
function judgeOutput(
  job: SourceJob,
  out: ProberOutput,
  parsed: ReturnType<typeof parseProbeOutput>,
  durationMs: number,
): SourceResult {
  if (parsed.missing.includes('ping')) {
    return {
      job,
      lines: new Map(),
      durationMs,
      error: new LabError('remote', `the probe image ${job.image} has no ping`, {
        host: job.host,
        command: `docker run --network container:${job.source.name} ${job.image} sh -c 'command -v ping'`,
        hint: 'pass --probe-image with an image that has busybox (sh, ping, nslookup, timeout)',
      }),
    };
  }
  if (!parsed.done || out.timedOut) {
    const error = new LabError(
      'remote',
      `${job.host}: the probe script in ${job.source.name}'s namespace ${out.timedOut ? 'did not finish in time' : `ended early (exit status ${out.exitCode ?? 'unknown'})`}`,
      {
        host: job.host,
        command: `probe script for ${job.source.name}`,
        exitCode: out.exitCode,
        stderrTail: out.stderr.split('\n').slice(-5).join('\n'),
        durationMs,
      },
    );
    // Lines already printed still count; the rest are errors.
    return { job, lines: parsed.lines, durationMs, error };
  }
  return { job, lines: parsed.lines, durationMs };
}
