import type { Agent } from 'node:http';
import Modem from 'docker-modem';

/** docker-modem, the HTTP layer dockerode itself is built on; its type stays inside src/docker. */
export type EngineModem = Modem;

/**
 * A modem over `agent`, speaking API `apiVersion` when given. Every connection setting is given
 * explicitly: docker-modem otherwise fills them from DOCKER_HOST, DOCKER_CERT_PATH and friends in the
 * environment, which must not steer where lab's requests go. The socket path is a placeholder the
 * agent ignores (its streams already lead to the Engine); it makes docker-modem build plain
 * unix-socket style requests.
 *
 * docker-modem alone, not dockerode: lab sends exact requests through `dial` and never uses
 * dockerode's per-object helpers, and dockerode's BuildKit session module (gRPC, protobufjs) would
 * cost every start ~55 ms of CPU.
 */
export function engineModem(agent: Agent, apiVersion?: string): EngineModem {
  return new Modem({
    socketPath: '/docker.sock',
    host: undefined,
    port: undefined,
    protocol: 'http',
    ca: undefined,
    cert: undefined,
    key: undefined,
    timeout: undefined,
    agent,
    ...(apiVersion ? { version: `v${apiVersion}` } : {}),
  });
}
