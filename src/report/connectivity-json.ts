/** `lab check connectivity --json`: the same facts as the terminal, as one plain JSON document. */
import type { ConnectivityReport, HostCheck } from '../probe/connectivity-model.js';
import { containerKey, type TopoContainer } from '../probe/topology.js';
import type { RoundTrips } from './connectivity-text.js';
import { seedToJson } from './seed-lines.js';

export function connectivityToJson(
  report: ConnectivityReport,
  extra: { exitCode: number; roundTrips: RoundTrips; ssh?: object },
): unknown {
  const targets = new Map(report.matrix.targets.map((t) => [t.key, t]));
  const count = (o: string) => report.results.filter((r) => r.outcome === o).length;
  return {
    verdict: report.verdict,
    exitCode: extra.exitCode,
    durationMs: report.durationMs,
    phases: report.phases,
    counts: {
      cells: report.results.length,
      pass: count('pass'),
      fail: count('fail'),
      error: count('error'),
      differs: count('differs'),
    },
    roundTrips: { ...extra.roundTrips, dockerCallsByOperation: report.dockerCalls },
    ...(extra.ssh && { ssh: extra.ssh }),
    hosts: report.hosts.map(hostToJson),
    networks: report.networks.map(({ host, name, driver, subnet, gateway, parent, internal }) => ({
      host,
      name,
      driver,
      subnet,
      gateway,
      parent,
      internal,
    })),
    sources: report.matrix.sources.map(sourceToJson),
    targets: report.matrix.targets,
    cells: report.results.map((r) => ({
      id: r.cell.id,
      source: r.cell.source,
      target: r.cell.target,
      targetLabel: targets.get(r.cell.target)?.label,
      kind: targets.get(r.cell.target)?.kind,
      port: targets.get(r.cell.target)?.port,
      portState: r.portState,
      expect: r.cell.expect,
      reason: r.cell.reason,
      origin: r.cell.origin,
      ...seedToJson(r.cell.seed, { docker: r.docker }),
      outcome: r.outcome,
      reached: r.reached,
      resolved: r.resolved,
      address: r.address,
      iface: r.iface,
      attempts: r.attempts,
      durationMs: r.durationMs,
      observed: r.evidence,
      command: r.command,
      reproduce: r.reproduce,
    })),
    skipped: report.matrix.skipped,
  };
}

function hostToJson(h: HostCheck): object {
  return {
    host: h.host,
    address: h.address,
    probeImage: h.probeImage,
    containers: h.containers,
    ...(h.engine !== undefined && { engine: h.engine }),
    ...(h.nics && { nics: h.nics }),
    ...(h.error && {
      error: { kind: h.error.kind, message: h.error.message, ...h.error.context },
    }),
  };
}

function sourceToJson(s: TopoContainer): object {
  return {
    key: containerKey(s),
    host: s.host,
    name: s.name,
    id: s.id,
    image: s.image,
    running: s.running,
    observed: s.observed,
    ...(s.unavailable && { unavailable: s.unavailable }),
    endpoints: s.endpoints,
    ...(s.listening && { listening: s.listening }),
    ...(s.listeningUnknown && { listeningUnknown: s.listeningUnknown }),
    ...(s.published && { published: s.published }),
    // Labels say why --select chose a container lab did not make.
    ...(s.foreign && { foreign: true, ...(s.labels && { labels: s.labels }) }),
    ...(s.hostSource && { hostSource: true }),
  };
}
