/** A host's swarm membership, as preflight and teardown need it. */
import type { HostSession } from '../host/session.js';
import type { SwarmHostFacts } from './decide.js';

export async function readSwarmFacts(session: HostSession): Promise<SwarmHostFacts> {
  const info = await session.docker.info();
  const node = info.swarmNode;
  const nodeLabels =
    info.swarm === 'active' && node?.isManager
      ? (await session.docker.inspectNode(node.nodeId))?.labels
      : undefined;
  return {
    host: session.host,
    state: info.swarm,
    ...(node && { node }),
    ...(nodeLabels && { nodeLabels }),
  };
}
