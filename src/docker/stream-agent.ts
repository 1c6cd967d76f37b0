import { Agent, type ClientRequestArgs } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { inspect } from 'node:util';

/**
 * Opens one byte stream to the Docker Engine's socket (an SSH channel, or a plain unix socket) and
 * returns it at once, still opening (see PendingStream for why it must be synchronous).
 */
export type StreamOpener = () => Duplex;

/**
 * A keep-alive http.Agent whose connections are streams from an opener. Over SSH every connection
 * is a direct-streamlocal channel of the host's one SSH connection, so a hundred Docker API calls cost
 * a handful of channels and no new SSH handshakes; kept-alive channels are reused call after call.
 */
export class StreamAgent extends Agent {
  readonly #open: StreamOpener;
  readonly #label: string;

  constructor(open: StreamOpener, label: string, options: { maxSockets: number }) {
    super({
      keepAlive: true,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
      scheduling: 'lifo',
    });
    this.#open = open;
    this.#label = label;
  }

  override createConnection(
    _options: ClientRequestArgs,
    _callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex {
    // Returned, not passed to the callback later: only a synchronous hand-over counts towards
    // maxSockets in time for the rest of a burst.
    return asSocket(this.#open());
  }

  /**
   * docker-modem runs util.inspect(options, {showHidden: true, depth: null}) on every request, agent
   * included; walking the SSH client behind this agent took tens of seconds of CPU per burst.
   */
  [inspect.custom](): string {
    return `StreamAgent(${this.#label})`;
  }
}

/** A keep-alive agent over a local unix socket: the same code path, minus SSH (the benchmark's floor). */
export function unixSocketAgent(socketPath: string, maxSockets: number): StreamAgent {
  // A net.Socket buffers writes while it connects, and reports a failure as an 'error' event.
  return new StreamAgent(() => connect(socketPath), `unix:${socketPath}`, { maxSockets });
}

/**
 * Node's HTTP client calls a few net.Socket methods on its connection (setKeepAlive, setNoDelay,
 * setTimeout, ref, unref). An SSH channel is a plain Duplex, so give it harmless versions; timeouts
 * are done with abort signals per request instead.
 */
function asSocket(stream: Duplex): Duplex {
  const s = stream as Duplex & Record<string, unknown>;
  for (const name of ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref']) {
    if (typeof s[name] !== 'function') s[name] = () => stream;
  }
  return stream;
}
