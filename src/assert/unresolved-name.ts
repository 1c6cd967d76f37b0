/**
 * Why a name did not resolve, where the host's engine answers names otherwise than the seed's Docker
 * (Podman's aardvark-dns: per network, at its gateway, only where DNS is enabled): the engine profile
 * says it in words from the asking container's networks and name servers and the target's networks.
 */
import type { HostSession } from '../host/session.js';
import type { UnresolvedName } from '../docker/engines/engine-profile.js';

/** The `nameserver` lines of a resolv.conf, in order. */
export function nameservers(resolvConf: string): string[] {
  return resolvConf
    .split('\n')
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

/**
 * The engine's explanation, or undefined (Docker; or the facts could not be read). `target` is the
 * container the name is when it runs on the asker's host (one host's name server knows no other's).
 */
export async function unresolvedDifference(
  session: HostSession,
  asker: string,
  target: string | undefined,
  timeoutMs: number,
): Promise<string | undefined> {
  const explain = session.docker.engine.unresolvedName;
  if (!explain) return undefined;
  try {
    const [me, them, networks, conf] = await Promise.all([
      session.docker.inspectContainer(asker),
      target !== undefined ? session.docker.inspectContainer(target) : undefined,
      session.docker.listNetworks(),
      session.docker.exec(asker, ['cat', '/etc/resolv.conf'], { timeoutMs }),
    ]);
    if (!me) return undefined;
    const q: UnresolvedName = {
      asker: {
        container: asker,
        networks: Object.keys(me.networks),
        nameservers: conf.exitCode === 0 ? nameservers(conf.stdout) : [],
      },
      ...(them && { target: { container: them.name, networks: Object.keys(them.networks) } }),
      networks: networks.map((n) => ({
        name: n.name,
        ...(n.gateway !== undefined && { gateway: n.gateway }),
        ...(n.dns !== undefined && { dns: n.dns }),
      })),
    };
    return explain(q);
  } catch {
    // An explanation is extra: a fact that could not be read leaves the claim as it was judged.
    return undefined;
  }
}
