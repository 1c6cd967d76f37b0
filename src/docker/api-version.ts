/**
 * Which Engine API version to speak. Unversioned requests get the daemon's newest API, whose JSON may
 * change under us; so the client asks /version first (unversioned on every engine) and pins itself.
 */

/**
 * The newest API whose JSON lab's mapping was checked against (Engine 27). Everything lab uses exists
 * since 1.26, which is what RHEL 7's Docker 1.13 speaks.
 */
export const MAX_API_VERSION = '1.47';

/** The oldest API lab can work with: RHEL 7's Docker 1.13. */
export const MIN_API_VERSION = '1.26';
export const MIN_DOCKER_RELEASE = '1.13';

/**
 * What lab can ask of an Engine that the floor (API 1.26) does not have, with the API version that
 * brought it (docs/api/version-history.md of moby). The client checks before it sends: an older
 * engine would silently ignore an unknown field (a swarm pool outside the scenario's range) or refuse
 * with a message that does not say why.
 */
export const API_FEATURES = {
  waitNextExit: {
    since: '1.30',
    docker: '17.06',
    what: "waiting for a container's exit (POST /containers/{id}/wait?condition=next-exit)",
  },
  sctpPorts: { since: '1.37', docker: '18.03', what: 'publishing SCTP ports' },
  swarmAddressPool: {
    since: '1.39',
    docker: '18.09',
    what: "a swarm's own address pool (DefaultAddrPool and SubnetSize of POST /swarm/init)",
  },
} as const;

export type ApiFeature = keyof typeof API_FEATURES;

/** Whether the negotiated API version has the feature. */
export function apiHas(negotiated: string, feature: ApiFeature): boolean {
  return compareApiVersions(negotiated, API_FEATURES[feature].since) >= 0;
}

/** "publishing SCTP ports needs Engine API 1.37 (Docker 18.03) or newer; server1 speaks API 1.26", or nothing. */
export function featureGap(
  host: string,
  negotiated: string,
  feature: ApiFeature,
): string | undefined {
  if (apiHas(negotiated, feature)) return undefined;
  const f = API_FEATURES[feature];
  return `${f.what} needs Engine API ${f.since} (Docker ${f.docker}) or newer; ${host} speaks API ${negotiated}`;
}

/** The same, led by the host's name, for an error of its own. */
export function missingFeature(
  host: string,
  negotiated: string,
  feature: ApiFeature,
): string | undefined {
  const gap = featureGap(host, negotiated, feature);
  return gap && `${host}: ${gap}`;
}

/**
 * min(server's API, ours), raised to the server's minimum when it has dropped that version (Engine 29
 * refuses anything below 1.44). Undefined when the server is older than MIN_API_VERSION.
 */
export function pickApiVersion(
  server: { apiVersion: string; minApiVersion?: string | undefined },
  ourMax: string = MAX_API_VERSION,
): string | undefined {
  let v = compareApiVersions(server.apiVersion, ourMax) < 0 ? server.apiVersion : ourMax;
  if (server.minApiVersion && compareApiVersions(v, server.minApiVersion) < 0)
    v = server.minApiVersion;
  return compareApiVersions(v, MIN_API_VERSION) < 0 ? undefined : v;
}

/** Compares "1.41" and "1.9" numerically per part (1.41 > 1.9). */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
