import { LabError } from '../common/errors.js';
import { engineProfile } from './engines/index.js';
import { detectEngineKind } from './engines/engine-profile.js';
import type {
  ContainerCreateSpec,
  ContainerInfo,
  ContainerNetworkInfo,
  EngineInfo,
  EngineVersion,
  Labels,
  NetworkCreateSpec,
  NetworkInfo,
  PublishedPortInfo,
} from './docker-client.js';

/**
 * Engine API JSON ↔ lab's own types. The wire types below are deliberately loose (everything optional,
 * nulls allowed): engines from 1.13 to today leave fields out or send null where newer ones send {}
 * or [], and a mapping that trusts a field to exist breaks on exactly the old hosts lab must support.
 */

export interface WireVersion {
  Version?: string;
  ApiVersion?: string;
  MinAPIVersion?: string;
  Os?: string;
  KernelVersion?: string;
  /** Podman lists itself here ("Podman Engine"); Docker lists "Engine", containerd, runc. */
  Components?: { Name?: string; Version?: string }[] | null;
}

export interface WireInfo {
  ID?: string;
  Name?: string;
  Swarm?: {
    LocalNodeState?: string;
    NodeID?: string;
    NodeAddr?: string;
    ControlAvailable?: boolean;
    RemoteManagers?: { NodeID?: string; Addr?: string }[] | null;
    Cluster?: { ID?: string } | null;
  } | null;
}

export interface WireNetwork {
  Id?: string;
  Name?: string;
  Driver?: string;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null } | null;
  Options?: Record<string, string> | null;
  Internal?: boolean;
  Scope?: string;
  Attachable?: boolean;
  Labels?: Record<string, string> | null;
  Containers?: Record<string, { Name?: string; IPv4Address?: string }> | null;
}

export interface WireContainer {
  Id?: string;
  Name?: string;
  State?: { Running?: boolean; Pid?: number } | null;
  Config?: { Image?: string; Labels?: Record<string, string> | null } | null;
  NetworkSettings?: {
    Networks?: Record<
      string,
      { IPAddress?: string; IPPrefixLen?: number; Gateway?: string; MacAddress?: string } | null
    > | null;
    /** "80/tcp" → the host bindings, null when exposed but not published. */
    Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
  } | null;
}

export interface WireVolume {
  Name?: string;
  Labels?: Record<string, string> | null;
}

export function toEngineVersion(v: WireVersion): EngineVersion {
  const kind = detectEngineKind(v);
  return {
    kind,
    product: engineProfile(kind).product,
    version: v.Version ?? '',
    apiVersion: v.ApiVersion ?? '',
    os: v.Os ?? '',
    kernel: v.KernelVersion ?? '',
  };
}

export function toEngineInfo(i: WireInfo): EngineInfo {
  const s = i.Swarm;
  return {
    id: i.ID ?? '',
    name: i.Name ?? '',
    swarm: s?.LocalNodeState || 'inactive',
    ...(s?.NodeID
      ? {
          swarmNode: {
            nodeId: s.NodeID,
            isManager: s.ControlAvailable === true,
            ...(s.Cluster?.ID ? { clusterId: s.Cluster.ID } : {}),
            ...(s.NodeAddr ? { address: s.NodeAddr } : {}),
            managers: (s.RemoteManagers ?? []).map((m) => ({
              nodeId: m.NodeID ?? '',
              address: m.Addr ?? '',
            })),
          },
        }
      : {}),
  };
}

export function toNetworkInfo(n: WireNetwork): NetworkInfo {
  // The first IPv4 pool: lab's scenarios are IPv4, and an IPv6 pool may be listed first.
  const pool = (n.IPAM?.Config ?? []).find(
    (c) => c.Subnet !== undefined && !c.Subnet.includes(':'),
  );
  return {
    id: n.Id ?? '',
    name: n.Name ?? '',
    driver: n.Driver ?? '',
    labels: { ...(n.Labels ?? {}) },
    ...(pool?.Subnet ? { subnet: pool.Subnet } : {}),
    ...(pool?.Gateway ? { gateway: stripPrefix(pool.Gateway) } : {}),
    options: { ...(n.Options ?? {}) },
    ...(n.Internal ? { internal: true } : {}),
    ...(n.Scope === 'swarm' ? { swarmScoped: true } : {}),
    ...(n.Attachable ? { attachable: true } : {}),
    containers: Object.values(n.Containers ?? {}).map((c) => ({
      name: c.Name ?? '',
      ...(c.IPv4Address ? { ipv4: stripPrefix(c.IPv4Address) } : {}),
    })),
  };
}

export function toContainerInfo(c: WireContainer): ContainerInfo {
  const networks: Record<string, ContainerNetworkInfo> = {};
  for (const [name, n] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
    if (!n) continue;
    networks[name] = {
      ...(n.IPAddress ? { ipv4: n.IPAddress } : {}),
      ...(n.IPAddress && n.IPPrefixLen ? { prefixLength: n.IPPrefixLen } : {}),
      ...(n.Gateway ? { gateway: n.Gateway } : {}),
      ...(n.MacAddress ? { mac: n.MacAddress } : {}),
    };
  }
  const running = c.State?.Running === true;
  return {
    id: c.Id ?? '',
    // The Engine reports names with a leading slash (a leftover of container links).
    name: (c.Name ?? '').replace(/^\//, ''),
    image: c.Config?.Image ?? '',
    labels: { ...(c.Config?.Labels ?? {}) },
    running,
    pid: running ? (c.State?.Pid ?? 0) : 0,
    networks,
    ...publishedOf(c),
  };
}

/** The Engine's port bindings; one IPv4 binding per port (the `::` twin of `0.0.0.0` is the same port). */
function publishedOf(c: WireContainer): { published?: PublishedPortInfo[] } {
  const out: PublishedPortInfo[] = [];
  for (const [key, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
    const m = /^(\d+)\/(tcp|udp|sctp)$/.exec(key);
    if (!m) continue;
    const seen = new Set<string>();
    for (const b of bindings ?? []) {
      const hostPort = Number(b.HostPort);
      const hostIp = b.HostIp && b.HostIp !== '0.0.0.0' && b.HostIp !== '::' ? b.HostIp : undefined;
      if (!validPort(hostPort) || hostIp?.includes(':')) continue;
      const id = `${hostIp ?? '*'}:${hostPort}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({
        containerPort: Number(m[1]),
        protocol: m[2] as PublishedPortInfo['protocol'],
        hostPort,
        ...(hostIp && { hostIp }),
      });
    }
  }
  return out.length > 0 ? { published: out } : {};
}

export function toVolume(v: WireVolume): { name: string; labels: Labels } {
  return { name: v.Name ?? '', labels: { ...(v.Labels ?? {}) } };
}

/** `{"label": ["k=v", …]}` as the list endpoints' `filters` query parameter wants it. */
export function labelFilters(labels: Labels | undefined): string | undefined {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return undefined;
  return JSON.stringify({ label: entries.map(([k, v]) => `${k}=${v}`) });
}

export function networkCreateBody(spec: NetworkCreateSpec): Record<string, unknown> {
  const pool = spec.subnet
    ? { Subnet: spec.subnet, ...(spec.gateway ? { Gateway: spec.gateway } : {}) }
    : undefined;
  return {
    Name: spec.name,
    // Engines before API 1.44 would otherwise create a second network of the same name.
    CheckDuplicate: true,
    Driver: spec.driver,
    ...(pool ? { IPAM: { Driver: 'default', Config: [pool] } } : {}),
    Options: spec.options,
    Labels: spec.labels,
    ...(spec.attachable !== undefined ? { Attachable: spec.attachable } : {}),
    ...(spec.internal !== undefined ? { Internal: spec.internal } : {}),
  };
}

export function containerCreateBody(spec: ContainerCreateSpec): Record<string, unknown> {
  const ports = (spec.publish ?? []).map(parsePublish);
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp ?? '', HostPort: String(p.hostPort) });
  }
  const net = spec.networkMode ? undefined : spec.network;
  return {
    Image: spec.image,
    // A container that joins another's network namespace takes that one's hostname too.
    ...(spec.networkMode ? {} : { Hostname: spec.hostname ?? spec.name }),
    ...(spec.command ? { Cmd: spec.command } : {}),
    Labels: spec.labels,
    // `docker run -dit`: a terminal and an open stdin keep an image's shell alive with nothing attached.
    ...(spec.interactive
      ? { Tty: true, OpenStdin: true, AttachStdin: false, StdinOnce: false }
      : {}),
    ...(ports.length > 0 ? { ExposedPorts: exposed } : {}),
    HostConfig: {
      ...(ports.length > 0 ? { PortBindings: bindings } : {}),
      // Without NetworkMode the container would also join the default bridge.
      ...(spec.networkMode
        ? { NetworkMode: spec.networkMode }
        : net
          ? { NetworkMode: net.name }
          : {}),
      ...(spec.autoRemove ? { AutoRemove: true } : {}),
    },
    ...(net
      ? {
          NetworkingConfig: {
            EndpointsConfig: {
              [net.name]: net.ipv4 ? { IPAMConfig: { IPv4Address: net.ipv4 } } : {},
            },
          },
        }
      : {}),
  };
}

export interface PortPublication {
  hostIp?: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}

/** "8080:80", "8080:80/udp" or "127.0.0.1:8080:80" (docker run -p syntax, single ports). */
export function parsePublish(text: string): PortPublication {
  const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d+):(\d+)(?:\/(tcp|udp|sctp))?$/.exec(text.trim());
  const hostPort = Number(m?.[2]);
  const containerPort = Number(m?.[3]);
  if (!m || !validPort(hostPort) || !validPort(containerPort)) {
    throw new LabError('input', `cannot read the port publication "${text}"`, {
      hint: 'HOSTPORT:CONTAINERPORT with an optional /tcp or /udp, e.g. "8080:80"',
    });
  }
  return {
    ...(m[1] ? { hostIp: m[1] } : {}),
    hostPort,
    containerPort,
    protocol: (m[4] as PortPublication['protocol'] | undefined) ?? 'tcp',
  };
}

function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

function stripPrefix(address: string): string {
  return address.replace(/\/\d+$/, '');
}
