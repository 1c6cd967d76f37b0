/**
 * Swarm and node API JSON ↔ lab's types. Kept apart from mapping.ts: only the overlay scenario needs
 * a swarm, and these shapes (node specs with version indexes) are of no use anywhere else.
 */
import type { Labels, NodeInfo, SwarmInitSpec, SwarmJoinSpec } from './docker-client.js';

export interface WireNode {
  ID?: string;
  Version?: { Index?: number } | null;
  Spec?: { Labels?: Record<string, string> | null; Role?: string; Availability?: string } | null;
  Description?: { Hostname?: string } | null;
  Status?: { Addr?: string } | null;
}

export function toNodeInfo(n: WireNode): NodeInfo {
  return {
    id: n.ID ?? '',
    hostname: n.Description?.Hostname ?? '',
    role: n.Spec?.Role ?? '',
    labels: { ...(n.Spec?.Labels ?? {}) },
    ...(n.Status?.Addr ? { address: n.Status.Addr } : {}),
  };
}

/** The listen address defaults to every interface on the standard port, as `docker swarm init`'s. */
export function swarmInitBody(spec: SwarmInitSpec): Record<string, unknown> {
  return {
    ListenAddr: spec.listenAddress ?? '0.0.0.0:2377',
    AdvertiseAddr: spec.advertiseAddress,
    ...(spec.defaultAddressPool ? { DefaultAddrPool: spec.defaultAddressPool } : {}),
    ...(spec.subnetSize !== undefined ? { SubnetSize: spec.subnetSize } : {}),
  };
}

export function swarmJoinBody(spec: SwarmJoinSpec): Record<string, unknown> {
  return {
    ListenAddr: '0.0.0.0:2377',
    AdvertiseAddr: spec.advertiseAddress,
    RemoteAddrs: spec.managers,
    JoinToken: spec.token,
  };
}

/** The node's spec with labels added: the update endpoint replaces the whole spec. */
export function withNodeLabels(n: WireNode, labels: Labels): Record<string, unknown> {
  const spec = n.Spec ?? {};
  return { ...spec, Labels: { ...(spec.Labels ?? {}), ...labels } };
}
