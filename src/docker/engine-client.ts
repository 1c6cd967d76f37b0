import type { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import PQueue from 'p-queue';
import { pollUntil, systemClock, within } from '../common/clock.js';
import { LabError } from '../common/errors.js';
import type {
  ContainerCreateSpec,
  ContainerInfo,
  DockerClient,
  EngineInfo,
  EngineRoute,
  EngineVersion,
  ExecOutcome,
  Labels,
  NetworkCreateSpec,
  NetworkInfo,
  NodeInfo,
  SwarmInitSpec,
  SwarmJoinSpec,
} from './docker-client.js';
import { dockerError, dockerStatusOf } from './docker-errors.js';
import {
  swarmInitBody,
  swarmJoinBody,
  toNodeInfo,
  withNodeLabels,
  type WireNode,
} from './swarm-mapping.js';
import {
  containerCreateBody,
  labelFilters,
  networkCreateBody,
  parsePublish,
  toContainerInfo,
  toEngineInfo,
  toEngineVersion,
  toNetworkInfo,
  toVolume,
  type WireContainer,
  type WireInfo,
  type WireNetwork,
  type WireVersion,
  type WireVolume,
} from './mapping.js';
import type { EngineModem } from './modem.js';
import { DEFAULT_BRIDGE } from './bridge.js';
import type { EngineProfile } from './engines/engine-profile.js';
import { apiHas, missingFeature, type ApiFeature } from './api-version.js';

export interface EngineClientSettings {
  /** The inventory name, for messages. */
  host: string;
  /** docker-modem, pinned to the negotiated API version, over `agent`. */
  modem: EngineModem;
  /** Same, over `execAgent`: exec output streams hold their connection until the command ends. */
  execModem: EngineModem;
  /** The negotiated API version ("1.41"). */
  apiVersion: string;
  /** How the Engine is reached, over SSH. */
  route?: EngineRoute;
  /**
   * run() calls at once (default: no limit). Each holds two long requests (attach and wait) on
   * execModem's pool; where that pool is small (dial-stdio), more at once could fill it with
   * attaches whose waits then never get a connection.
   */
  maxRuns?: number;
  /** docker-modem without a version prefix, for an engine's own API (Podman's /v4.0.0/libpod/…). */
  unversionedModem: EngineModem;
  /** The engine behind the socket (from /version). */
  engine: EngineProfile;
  /** The agents behind the two; destroyed by close(). */
  agents: Agent[];
  requestTimeoutMs: number;
  execTimeoutMs: number;
  now: () => number;
  /** Waits between polls; a timer unless a test gives a fake clock's. */
  sleep?: (ms: number) => Promise<void>;
}

interface Call {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** The operation in messages, when more telling than method and path ("POST /networks/create mac_net1"). */
  label?: string;
  query?: Record<string, string | string[] | boolean | undefined>;
  body?: unknown;
  /** A request body streamed as it is (a tar file), instead of `body` as JSON. */
  file?: Readable;
  stream?: boolean;
  timeoutMs?: number;
  /** Sent without the negotiated API version prefix. */
  unversioned?: boolean;
}

const NOT_FOUND = Symbol('not found');
// The Engine marks an exec finished a moment after its output ends: asked again every 25 ms, for up
// to half a second.
const EXIT_CODE_POLL_MS = 25;
const EXIT_CODE_WAIT_MS = 20 * EXIT_CODE_POLL_MS;
const EXIT_STATUS_GRACE_MS = 2_000;

/**
 * DockerClient over docker-modem. Requests go through `modem.dial` with exact paths, queries and
 * bodies rather than per-object helpers such as dockerode's: one place for status handling, timeouts and
 * error words, and no surprises such as create bodies copied into query strings.
 */
export class EngineClient implements DockerClient {
  readonly host: string;
  readonly route?: EngineRoute;
  readonly engine: EngineProfile;
  readonly #s: EngineClientSettings;
  readonly #runs: PQueue;
  #defaultNetwork: Promise<string> | undefined;

  constructor(settings: EngineClientSettings) {
    this.host = settings.host;
    this.engine = settings.engine;
    if (settings.route) this.route = settings.route;
    this.#runs = new PQueue({ concurrency: settings.maxRuns ?? Number.POSITIVE_INFINITY });
    this.#s = settings;
  }

  /** For the engine profile: a GET whose 404 is undefined. */
  readonly #get = async <T>(path: string, options?: { unversioned?: boolean }) => {
    const r = await this.#call<T>({
      method: 'GET',
      path,
      ...(options?.unversioned && { unversioned: true }),
    });
    return r === NOT_FOUND ? undefined : r;
  };

  /** The engine's name of the network lab calls `bridge`; asked once. */
  #defaultNetworkName(): Promise<string> {
    this.#defaultNetwork ??= this.engine.defaultNetworkName(this.#get).catch((err: unknown) => {
      this.#defaultNetwork = undefined;
      throw err;
    });
    return this.#defaultNetwork;
  }

  /** A network name as this engine wants it in requests: `bridge` is the engine's default network. */
  async #engineNetwork(name: string): Promise<string> {
    return name === DEFAULT_BRIDGE ? this.#defaultNetworkName() : name;
  }

  /** The API version negotiated with the Engine (api-version.ts): every call is pinned to it. */
  get apiVersion(): string {
    return this.#s.apiVersion;
  }

  async version(): Promise<EngineVersion> {
    return toEngineVersion(await this.#must<WireVersion>({ method: 'GET', path: '/version' }));
  }

  async info(): Promise<EngineInfo> {
    return toEngineInfo(await this.#must<WireInfo>({ method: 'GET', path: '/info' }));
  }

  async imageExists(ref: string): Promise<boolean> {
    const r = await this.#call({
      method: 'GET',
      path: `/images/${encodeRef(ref)}/json`,
      label: `GET /images/${ref}/json`,
    });
    return r !== NOT_FOUND;
  }

  async listNetworks(filter?: { labels?: Labels }): Promise<NetworkInfo[]> {
    const list = await this.#must<WireNetwork[]>({
      method: 'GET',
      path: '/networks',
      query: { filters: labelFilters(filter?.labels) },
    });
    return this.engine.completeNetworks((list ?? []).map(toNetworkInfo), this.#get);
  }

  async inspectNetwork(nameOrId: string): Promise<NetworkInfo | undefined> {
    const n = await this.#call<WireNetwork>({ method: 'GET', path: `/networks/${enc(nameOrId)}` });
    if (n === NOT_FOUND) return undefined;
    const [complete] = await this.engine.completeNetworks([toNetworkInfo(n)], this.#get);
    return complete;
  }

  async createNetwork(spec: NetworkCreateSpec): Promise<string> {
    const r = await this.#must<{ Id?: string }>({
      method: 'POST',
      path: '/networks/create',
      label: `POST /networks/create ${spec.name}`,
      body: networkCreateBody({
        ...spec,
        options: { ...this.engine.networkOptions(spec.driver), ...spec.options },
      }),
    });
    return r.Id ?? '';
  }

  async removeNetwork(nameOrId: string): Promise<void> {
    // Already gone is what was asked for.
    await this.#call({ method: 'DELETE', path: `/networks/${enc(nameOrId)}` });
  }

  async listContainers(filter?: { labels?: Labels }): Promise<ContainerInfo[]> {
    const list = await this.#must<{ Id?: string }[]>({
      method: 'GET',
      path: '/containers/json',
      query: { all: true, filters: labelFilters(filter?.labels) },
    });
    // The list endpoint has no pid and, on old engines, no addresses: inspect each (a few ms apiece
    // over the kept connection). One removed in between simply drops out.
    const infos = await Promise.all((list ?? []).map((c) => this.inspectContainer(c.Id ?? '')));
    return infos.filter((c): c is ContainerInfo => c !== undefined);
  }

  async inspectContainer(nameOrId: string): Promise<ContainerInfo | undefined> {
    if (nameOrId === '') return undefined;
    const c = await this.#call<WireContainer>({
      method: 'GET',
      path: `/containers/${enc(nameOrId)}/json`,
    });
    if (c === NOT_FOUND) return undefined;
    const info = toContainerInfo(c);
    return Object.keys(info.networks).length === 0
      ? info
      : this.engine.completeContainer(info, await this.#defaultNetworkName());
  }

  async createContainer(spec: ContainerCreateSpec): Promise<string> {
    if ((spec.publish ?? []).some((p) => parsePublish(p).protocol === 'sctp'))
      this.#require('sctpPorts', `POST /containers/create ${spec.name}`);
    const network = spec.network && {
      ...spec.network,
      name: await this.#engineNetwork(spec.network.name),
    };
    const r = await this.#must<{ Id?: string }>({
      method: 'POST',
      path: '/containers/create',
      label: `POST /containers/create ${spec.name}`,
      query: { name: spec.name },
      body: containerCreateBody({ ...spec, ...(network && { network }) }),
    });
    return r.Id ?? '';
  }

  async startContainer(nameOrId: string): Promise<void> {
    // 304 (already running) counts as success: starting is idempotent for lab.
    await this.#must({ method: 'POST', path: `/containers/${enc(nameOrId)}/start` });
  }

  async removeContainer(nameOrId: string): Promise<void> {
    await this.#call({
      method: 'DELETE',
      path: `/containers/${enc(nameOrId)}`,
      query: { force: true, v: true },
    });
  }

  async connectNetwork(network: string, container: string, ipv4?: string): Promise<void> {
    const name = await this.#engineNetwork(network);
    await this.#must({
      method: 'POST',
      path: `/networks/${enc(name)}/connect`,
      label: `POST /networks/${network}/connect ${container}${ipv4 ? ` ${ipv4}` : ''}`,
      body: {
        Container: container,
        EndpointConfig: ipv4 ? { IPAMConfig: { IPv4Address: ipv4 } } : {},
      },
    });
  }

  async disconnectNetwork(network: string, container: string): Promise<void> {
    const name = await this.#engineNetwork(network);
    await this.#must({
      method: 'POST',
      path: `/networks/${enc(name)}/disconnect`,
      label: `POST /networks/${network}/disconnect ${container}`,
      body: { Container: container, Force: false },
    });
  }

  async listVolumes(filter?: { labels?: Labels }): Promise<{ name: string; labels: Labels }[]> {
    const r = await this.#must<{ Volumes?: WireVolume[] | null }>({
      method: 'GET',
      path: '/volumes',
      query: { filters: labelFilters(filter?.labels) },
    });
    return (r.Volumes ?? []).map(toVolume);
  }

  async createVolume(spec: { name: string; labels: Labels }): Promise<void> {
    await this.#must({
      method: 'POST',
      path: '/volumes/create',
      label: `POST /volumes/create ${spec.name}`,
      body: { Name: spec.name, Driver: 'local', Labels: spec.labels },
    });
  }

  async removeVolume(name: string): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/volumes/${enc(name)}` });
  }

  run(spec: ContainerCreateSpec, options?: { timeoutMs?: number }): Promise<ExecOutcome> {
    return this.#runs.add(() => this.#run(spec, options));
  }

  async #run(spec: ContainerCreateSpec, options?: { timeoutMs?: number }): Promise<ExecOutcome> {
    const { now } = this.#s;
    const timeoutMs = options?.timeoutMs ?? this.#s.execTimeoutMs;
    const started = now();
    const id = await this.createContainer(spec);
    const open: Readable[] = [];
    try {
      // Both held open until the container ends, so both ride the long-request pool. The Engine
      // answers attach (and, since API 1.30, wait with next-exit) with headers at once: when they
      // are back, nothing the container prints or its exit can be missed.
      const stream = await this.#must<Readable>({
        method: 'POST',
        path: `/containers/${enc(id)}/attach`,
        label: `POST /containers/${spec.name}/attach`,
        query: { stream: true, stdout: true, stderr: true },
        stream: true,
        timeoutMs,
      });
      open.push(stream);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      this.#s.execModem.demuxStream(stream, collector(stdout), collector(stderr));
      const waited = apiHas(this.#s.apiVersion, 'waitNextExit')
        ? await this.#must<Readable>({
            method: 'POST',
            path: `/containers/${enc(id)}/wait`,
            label: `POST /containers/${spec.name}/wait`,
            query: { condition: 'next-exit' },
            stream: true,
            timeoutMs,
          }).catch(() => undefined)
        : undefined;
      if (waited) open.push(waited);
      const exit = waited ? readJson<{ StatusCode?: number }>(waited) : Promise.resolve(undefined);
      // Listening before start: a short-lived container may be done before start returns.
      const ended = untilEnd(stream, Math.max(0, timeoutMs - (now() - started)));
      await this.startContainer(id);
      const cut = await ended;
      const timedOut = cut || now() - started >= timeoutMs;
      if (timedOut) {
        waited?.destroy();
        await this.removeContainer(id);
      }
      // The exit status follows the end of the output at once; do not hang on it if it does not.
      const status = timedOut ? undefined : await within(exit, EXIT_STATUS_GRACE_MS);
      waited?.destroy();
      return {
        exitCode: status?.StatusCode ?? null,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: Math.round(now() - started),
        ...(timedOut ? { timedOut: true } : {}),
      };
    } catch (err) {
      for (const s of open) s.destroy();
      await this.removeContainer(id).catch(() => undefined);
      throw err;
    }
  }

  /** Refuses, before sending, what the negotiated API does not have (api-version.ts, API_FEATURES). */
  #require(feature: ApiFeature, command: string): void {
    const problem = missingFeature(this.#s.host, this.#s.apiVersion, feature);
    if (problem) {
      throw new LabError('host', problem, {
        host: this.#s.host,
        command,
        hint: 'upgrade Docker on that host, or leave the feature out of the scenario',
      });
    }
  }

  /**
   * create + start (output on the response itself, not a hijacked upgrade) + inspect for the exit
   * code. On timeout the output stream is closed and exitCode is null; the Engine has no way to kill
   * an exec, so the process may run on inside the container until it ends by itself.
   */
  async exec(
    container: string,
    argv: readonly string[],
    options?: { timeoutMs?: number },
  ): Promise<ExecOutcome> {
    const { now } = this.#s;
    const timeoutMs = options?.timeoutMs ?? this.#s.execTimeoutMs;
    const started = now();
    const what = `exec in ${container}: ${argv.join(' ')}`;
    const created = await this.#call<{ Id?: string }>({
      method: 'POST',
      path: `/containers/${enc(container)}/exec`,
      label: `POST /containers/${container}/exec (${argv.join(' ')})`,
      body: { AttachStdin: false, AttachStdout: true, AttachStderr: true, Tty: false, Cmd: argv },
    });
    if (created === NOT_FOUND || !created.Id) {
      throw new LabError(
        'remote',
        `${this.host}: no container ${container} to run \`${argv.join(' ')}\` in`,
        {
          host: this.host,
          command: what,
        },
      );
    }
    const id = created.Id;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const stream = await this.#must<Readable>({
      method: 'POST',
      path: `/exec/${id}/start`,
      label: `POST /exec/${id}/start (${argv.join(' ')})`,
      body: { Detach: false, Tty: false },
      stream: true,
      timeoutMs,
    });
    this.#s.execModem.demuxStream(stream, collector(stdout), collector(stderr));
    // Either our timer or the request's abort signal may be first to cut the stream at the deadline.
    const cut = await untilEnd(stream, Math.max(0, timeoutMs - (now() - started)));
    const timedOut = cut || now() - started >= timeoutMs;
    const exitCode = timedOut ? null : await this.#execExitCode(id);
    return {
      exitCode,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
      durationMs: Math.round(now() - started),
      ...(timedOut ? { timedOut: true } : {}),
    };
  }

  /**
   * The exit code once the Engine has recorded it. The output stream can end a moment before the
   * exec is marked finished, so a still-running answer is asked again a few times.
   */
  async #execExitCode(id: string): Promise<number | null> {
    const clock = { now: this.#s.now, sleep: this.#s.sleep ?? systemClock.sleep };
    const exit = await pollUntil(clock, EXIT_CODE_WAIT_MS, EXIT_CODE_POLL_MS, async () => {
      const r = await this.#must<{ ExitCode?: number | null; Running?: boolean }>({
        method: 'GET',
        path: `/exec/${id}/json`,
      });
      return r.Running ? undefined : { code: r.ExitCode ?? null };
    });
    return exit?.code ?? null;
  }

  async swarmInit(spec: SwarmInitSpec): Promise<string> {
    if (spec.defaultAddressPool !== undefined || spec.subnetSize !== undefined)
      this.#require('swarmAddressPool', 'POST /swarm/init');
    const id = await this.#must<string>({
      method: 'POST',
      path: '/swarm/init',
      label: `POST /swarm/init (advertise ${spec.advertiseAddress})`,
      body: swarmInitBody(spec),
    });
    return typeof id === 'string' ? id.trim() : '';
  }

  async swarmJoin(spec: SwarmJoinSpec): Promise<void> {
    await this.#must({
      method: 'POST',
      path: '/swarm/join',
      label: `POST /swarm/join ${spec.managers.join(',')}`,
      body: swarmJoinBody(spec),
    });
  }

  async swarmLeave(force: boolean): Promise<void> {
    try {
      await this.#must({ method: 'POST', path: '/swarm/leave', query: { force } });
    } catch (err) {
      // 503 "This node is not part of a swarm": already where we wanted it.
      if (dockerStatusOf(err) !== 503) throw err;
    }
  }

  async swarmWorkerToken(): Promise<string> {
    const r = await this.#must<{ JoinTokens?: { Worker?: string } }>({
      method: 'GET',
      path: '/swarm',
    });
    return r.JoinTokens?.Worker ?? '';
  }

  async listNodes(): Promise<NodeInfo[]> {
    const list = await this.#must<WireNode[]>({ method: 'GET', path: '/nodes' });
    return (list ?? []).map(toNodeInfo);
  }

  async inspectNode(id: string): Promise<NodeInfo | undefined> {
    const n = await this.#call<WireNode>({ method: 'GET', path: `/nodes/${enc(id)}` });
    return n === NOT_FOUND ? undefined : toNodeInfo(n);
  }

  async addNodeLabels(id: string, labels: Labels): Promise<void> {
    const n = await this.#must<WireNode>({ method: 'GET', path: `/nodes/${enc(id)}` });
    await this.#must({
      method: 'POST',
      path: `/nodes/${enc(id)}/update`,
      label: `POST /nodes/${id}/update (labels)`,
      query: { version: String(n.Version?.Index ?? 0) },
      body: withNodeLabels(n, labels),
    });
  }

  /**
   * `docker import` of a rootfs tar, with Dockerfile-style changes such as `CMD ["/bin/sh"]`. Not in
   * DockerClient: only the box imports images, on its hosts' local sockets.
   */
  async importImage(tar: Readable, ref: string, changes: readonly string[]): Promise<void> {
    const colon = ref.lastIndexOf(':');
    const label = `POST /images/create ${ref}`;
    const stream = await this.#must<Readable>({
      method: 'POST',
      path: '/images/create',
      label,
      query: {
        fromSrc: '-',
        repo: ref.slice(0, colon),
        tag: ref.slice(colon + 1),
        ...(changes.length > 0 ? { changes: [...changes] } : {}),
      },
      file: tar,
      stream: true,
    });
    // The answer is a stream of JSON progress messages; a failure is a message with "error", under HTTP 200.
    const body = await readText(stream);
    const failure = body
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { error?: string })
      .find((message) => message.error);
    if (failure) {
      throw new LabError('remote', `${this.host}: importing ${ref} failed`, {
        host: this.host,
        command: label,
        stderrTail: failure.error ?? '',
      });
    }
  }

  async close(): Promise<void> {
    for (const a of this.#s.agents) a.destroy();
  }

  /** A call whose 404 is an error too. */
  async #must<T>(call: Call): Promise<T> {
    const r = await this.#call<T>(call);
    if (r === NOT_FOUND) {
      throw dockerError(
        this.host,
        call.label ?? `${call.method} ${call.path}`,
        Object.assign(new Error('not found'), { statusCode: 404 }),
        0,
      );
    }
    return r;
  }

  /** One request; 404 comes back as NOT_FOUND, every other failure as a LabError. */
  #call<T>(call: Call): Promise<T | typeof NOT_FOUND> {
    const timeoutMs = call.timeoutMs ?? this.#s.requestTimeoutMs;
    const operation = call.label ?? `${call.method} ${call.path}`;
    const query = Object.fromEntries(
      Object.entries(call.query ?? {}).filter(([, v]) => v !== undefined),
    );
    const hasQuery = Object.keys(query).length > 0;
    const modem = call.unversioned
      ? this.#s.unversionedModem
      : call.stream
        ? this.#s.execModem
        : this.#s.modem;
    return new Promise((resolve, reject) => {
      modem.dial(
        {
          // docker-modem appends a query string only to paths that end in '?', and sends `_body`
          // (never the query) as the JSON body of a POST.
          path: hasQuery ? `${call.path}?` : call.path,
          method: call.method,
          options: {
            ...(hasQuery ? { _query: query } : {}),
            ...(call.method === 'POST' && !call.file ? { _body: call.body ?? {} } : {}),
          },
          ...(call.file
            ? { file: call.file, headers: { 'Content-Type': 'application/x-tar' } }
            : {}),
          statusCodes: { 200: true, 201: true, 204: true, 304: true },
          ...(call.stream ? { isStream: true } : {}),
          abortSignal: AbortSignal.timeout(timeoutMs),
        },
        (err, data) => {
          if (!err) resolve(data as T);
          else if ((err as { statusCode?: number }).statusCode === 404) resolve(NOT_FOUND);
          else reject(dockerError(this.host, operation, err, timeoutMs));
        },
      );
    });
  }
}

/** Resolves false when the stream ended by itself, true when the time ran out first (it is then destroyed). */
function untilEnd(stream: Readable, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy();
      resolve(true);
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(false);
    };
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

/** The whole body of a streamed response as text. */
function readText(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.once('error', reject);
  });
}

/** The JSON body of a streamed response; undefined when it is cut or is not JSON. */
function readJson<T>(stream: Readable): Promise<T | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    const done = () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
      } catch {
        resolve(undefined);
      }
    };
    // 'end' when the body is complete; 'close' alone when it is cut (a kept-alive socket may never close).
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', () => resolve(undefined));
  });
}

function collector(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
}

/** Names and ids in a path segment. */
function enc(s: string): string {
  return encodeURIComponent(s);
}

/** Image references keep their '/', ':' and '@' (the Engine routes /images/{name:.*}/json). */
function encodeRef(ref: string): string {
  return encodeURIComponent(ref).replace(/%2F/gi, '/').replace(/%3A/gi, ':').replace(/%40/gi, '@');
}
