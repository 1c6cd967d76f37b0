import PQueue from 'p-queue';
import { asLabError, isLabError, LabError } from '../common/errors.js';
import type { SshTarget } from '../ssh/target.js';
import { closeAll, engineFoundDown, type Connector, type HostSession } from '../host/session.js';
import type { LockOutcome } from '../host/host-lock.js';
import { lostError } from '../host/lost.js';
import { teardownHost, type TeardownOutcome, type TeardownTrack } from './teardown.js';
import { CLOSE_GRACE_MS, untilInterrupted } from '../common/interrupt.js';
import { systemClock, type Clock } from '../common/clock.js';
import { dissolveSwarm } from '../swarm/teardown.js';

/** A host whose teardown a Ctrl-C cut short: what it had found and not yet removed. */
export interface InterruptedTeardown {
  host: string;
  interrupted: { left: string[]; looked: boolean };
}

export interface DownReport {
  scenario: string;
  hosts: (TeardownOutcome | { host: string; error: LabError } | InterruptedTeardown)[];
  /** Set when a Ctrl-C stopped `lab down` before it finished. */
  interrupted?: boolean;
  /** What was left in place on purpose, and why (a swarm holding nodes lab did not join). */
  notes?: string[];
  /** Leaving the swarm lab made failed: the hosts are not clean, whatever each host's outcome. */
  swarmError?: LabError;
  /** Another lab holds one of the hosts: nothing was removed anywhere (exit 2). */
  locked?: boolean;
}

/** Locks a host against another lab for the whole `down` (host/host-lock.ts). */
export type HostLocker = (session: HostSession, scenario: string) => Promise<LockOutcome>;

/** `lab down`'s exit code: 0 clean, 3 a host not clean, 130 a Ctrl-C stopped it before it finished. */
export function downExitCode(
  report: DownReport,
  codes: { hostError: number; interrupted: number; badInput: number },
): number {
  if (report.locked) return codes.badInput;
  if (downFailures(report).length === 0) return 0;
  return report.interrupted ? codes.interrupted : codes.hostError;
}

/** The hosts `lab down` could not clean, by name; "swarm" when leaving the swarm failed. */
export function downFailures(report: DownReport): string[] {
  return [
    ...report.hosts.filter((h) => 'error' in h || 'interrupted' in h).map((h) => h.host),
    ...(report.swarmError ? [report.swarmError.context.host ?? 'swarm'] : []),
  ];
}

/**
 * Tears a scenario down on every given host at once; one unreachable host never hides the others.
 * Every host is connected to and locked first: when another lab holds one, nothing is removed
 * anywhere. A Ctrl-C (`signal`) gives running removals a short grace, then says what each host
 * still has.
 */
export async function downScenario(
  scenario: string,
  targets: readonly SshTarget[],
  connect: Connector,
  concurrency: number,
  clock: Clock = systemClock,
  signal?: AbortSignal,
  lock?: HostLocker,
): Promise<DownReport> {
  const sessions: HostSession[] = [];
  const queue = new PQueue({ concurrency });
  const tracks = new Map(targets.map((t) => [t.host, trackOf()]));
  const finished = new Map<string, DownReport['hosts'][number]>();
  let closed = false;
  /** Said once per host: a lock taken over from a lab that is gone. */
  const lockNotes: string[] = [];
  const open = async (t: SshTarget): Promise<HostSession | { host: string; error: LabError }> => {
    try {
      const session = await connect(t, signal);
      // Connected after a Ctrl-C gave up on this host: not used.
      if (closed) {
        await closeAll([session]);
        return { host: t.host, error: new LabError('aborted', 'interrupted') };
      }
      sessions.push(session);
      const locked = await lock?.(session, scenario).catch(async (err: unknown) => {
        throw await failure(session, err);
      });
      if (locked?.kind === 'busy') return { host: t.host, error: locked.error };
      if (locked?.kind === 'held' && locked.note) lockNotes.push(locked.note);
      return session;
    } catch (err) {
      return { host: t.host, error: asLabError(err, t.host) };
    }
  };
  const one = async (opened: HostSession | { host: string; error: LabError }) => {
    const outcome = 'error' in opened ? opened : await teardownOne(opened, tracks.get(opened.host));
    finished.set(opened.host, outcome);
    return outcome;
  };
  const teardownOne = async (session: HostSession, track: TeardownTrack | undefined) => {
    try {
      return await teardownHost(session, scenario, clock, track);
    } catch (err) {
      return { host: session.host, error: await failure(session, err) };
    }
  };
  try {
    const opening = Promise.all(targets.map((t) => queue.add(() => open(t))));
    const opened = await untilInterrupted(opening, signal);
    if (!opened.done) return interruptedReport(scenario, targets, finished, tracks);
    const busy = opened.value.filter(
      (o): o is { host: string; error: LabError } => 'error' in o && o.error.kind === 'conflict',
    );
    if (busy.length > 0) return { scenario, hosts: busy, locked: true };
    const all = Promise.all(opened.value.map((o) => queue.add(() => one(o))));
    const waited = await untilInterrupted(all, signal);
    queue.clear();
    if (!waited.done) return interruptedReport(scenario, targets, finished, tracks);
    const { engineDown, ...left } = await leaveSwarm(
      scenario,
      waited.value,
      sessions,
      clock,
      signal,
    );
    const notes = [...lockNotes, ...(left.notes ?? [])];
    const hosts = waited.value.map((h) => engineDown?.get(h.host) ?? h);
    return { scenario, hosts, ...left, ...(notes.length > 0 && { notes }) };
  } finally {
    closed = true;
    await untilInterrupted(closeAll(sessions), signal, CLOSE_GRACE_MS);
  }
}

/**
 * A host's failure in words: its lost connection ("connection to server2 (198.18.0.2:22) lost during
 * lab down") when that is why, never the SSH library's own "Keepalive timeout"; its engine found
 * dead ("Docker is not running on server2"), never the call that failed.
 */
async function failure(session: HostSession, err: unknown): Promise<LabError> {
  const why = session.shell.lost?.();
  if (why) return lostError(session.host, why, 'lab down', err);
  return (await engineFoundDown(session, err)) ?? asLabError(err, session.host);
}

/**
 * The swarm spans hosts: it is left once every host is clean, workers before the manager. A host
 * whose engine is found dead when this fails is said per host, like a dead engine in any other step
 * (`engineDown`): the failed call is then not the swarm's fault.
 */
async function leaveSwarm(
  scenario: string,
  hosts: DownReport['hosts'],
  sessions: HostSession[],
  clock: Clock,
  signal: AbortSignal | undefined,
): Promise<
  Pick<DownReport, 'notes' | 'swarmError' | 'interrupted'> & {
    engineDown?: Map<string, { host: string; error: LabError }>;
  }
> {
  const clean = hosts.filter((h): h is TeardownOutcome => !('error' in h) && !('interrupted' in h));
  const alive = sessions.filter((s) => clean.some((h) => h.host === s.host));
  const done = new Map<string, string[]>();
  let notes: string[] = [];
  let swarmError: LabError | undefined;
  const engineDown = new Map<string, { host: string; error: LabError }>();
  try {
    const waited = await untilInterrupted(dissolveSwarm(alive, scenario, clock, done), signal);
    if (waited.done) notes = waited.value.notes;
    else
      swarmError = new LabError(
        'aborted',
        'interrupted while leaving the swarm: run the same lab down again',
      );
  } catch (err) {
    for (const [host, down] of await enginesFoundDown(alive, err)) {
      const h = clean.find((c) => c.host === host) as TeardownOutcome;
      engineDown.set(host, { host, error: engineDiedAtTheSwarm(h, down, scenario, done) });
    }
    const failedOn = isLabError(err) ? err.context.host : undefined;
    if (engineDown.size === 0 || (failedOn !== undefined && !engineDown.has(failedOn)))
      swarmError = isLabError(err)
        ? err
        : new LabError('host', `the swarm could not be left: ${String(err)}`, {}, { cause: err });
  }
  for (const h of clean) {
    const what = done.get(h.host);
    if (what) h.swarm = what;
  }
  return {
    ...(notes.length > 0 && { notes }),
    ...(swarmError && { swarmError }),
    ...(engineDown.size > 0 && { engineDown }),
    ...(signal?.aborted && !swarmError && { interrupted: true }),
  };
}

/** The hosts (of those asked) whose engine is found dead after `err`, each with its words. */
async function enginesFoundDown(
  sessions: readonly HostSession[],
  err: unknown,
): Promise<Map<string, LabError>> {
  const found = await Promise.all(
    sessions.map(async (s) => [s.host, await engineFoundDown(s, err)] as const),
  );
  return new Map(found.flatMap(([host, down]) => (down ? [[host, down]] : [])));
}

/** "Docker is not running on server2 (…what was done…); the swarm waits": the host is not clean. */
function engineDiedAtTheSwarm(
  h: TeardownOutcome,
  down: LabError,
  scenario: string,
  done: ReadonlyMap<string, string[]>,
): LabError {
  const did = describeTeardown({ ...h, swarm: done.get(h.host) ?? [] }, scenario);
  return new LabError(
    'host',
    `${down.message} (it stopped as lab down came to the swarm, after: ${did}); leaving the swarm lab made, if the host is in one, waits until lab down runs with Docker up`,
    { host: h.host, hint: `start Docker on ${h.host}, then run the same lab down again` },
    { cause: down },
  );
}

function trackOf(): TeardownTrack & { left(): string[]; looked: boolean } {
  const found = new Set<string>();
  const track = {
    looked: false,
    found(what: string[]) {
      track.looked = true;
      for (const w of what) found.add(w);
    },
    removed(what: string) {
      found.delete(what);
    },
    left: () => [...found],
  };
  return track;
}

/** What each host still has when a Ctrl-C cut `lab down` short (a finished host as it is). */
function interruptedReport(
  scenario: string,
  targets: readonly SshTarget[],
  finished: ReadonlyMap<string, DownReport['hosts'][number]>,
  tracks: Map<string, ReturnType<typeof trackOf>>,
): DownReport {
  const hosts = targets.map(
    (t) =>
      finished.get(t.host) ?? {
        host: t.host,
        interrupted: {
          left: tracks.get(t.host)?.left() ?? [],
          looked: tracks.get(t.host)?.looked ?? false,
        },
      },
  );
  return { scenario, hosts, interrupted: true };
}

export function renderDown(report: DownReport): string {
  const lines: string[] = [];
  for (const h of report.hosts) {
    if ('error' in h) {
      lines.push(`! ${h.host}: ${h.error.describe().split('\n').join('\n  ')}`);
    } else if ('interrupted' in h) {
      const { left, looked } = h.interrupted;
      lines.push(
        `! ${h.host}: interrupted before lab down finished here; ${
          !looked
            ? 'it had not yet looked at what is there'
            : left.length > 0
              ? `still there: ${left.join(', ')}`
              : 'it was finishing (swarm, NIC state)'
        }`,
      );
    } else lines.push(`✔ ${h.host}: ${describeTeardown(h, report.scenario)}`);
  }
  for (const note of report.notes ?? []) lines.push(`! ${note}`);
  if (report.swarmError) {
    lines.push(
      `! the swarm could not be left: ${report.swarmError.describe().split('\n').join('\n  ')}`,
    );
  }
  if (report.locked)
    lines.push(
      `NOT RUN: lab down ${report.scenario} — another lab holds ${report.hosts.map((h) => h.host).join(', ')}; nothing was removed on any host`,
    );
  if (report.interrupted && downFailures(report).length > 0)
    lines.push(
      'INTERRUPTED: lab down did not finish; run the same command again to remove the rest',
    );
  return `${lines.join('\n')}\n`;
}

/** "removed container a, network b; restored NIC eth0: promisc off; left the swarm". */
function describeTeardown(h: TeardownOutcome, scenario: string): string {
  const swarmNetworks = (h.swarm ?? []).filter((s) => s.startsWith('network '));
  const swarmOther = (h.swarm ?? []).filter((s) => !s.startsWith('network '));
  const removed = [
    ...h.containers.map((c) => `container ${c}`),
    ...h.networks.map((n) => `network ${n}`),
    ...swarmNetworks,
  ];
  const parts = [
    ...(removed.length > 0 ? [`removed ${removed.join(', ')}`] : []),
    ...(h.nics.length > 0 ? [`restored NIC ${h.nics.join(', NIC ')}`] : []),
    ...swarmOther,
  ];
  return parts.length === 0 ? `nothing of ${scenario} left` : parts.join('; ');
}
