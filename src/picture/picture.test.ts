import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../test/fakes/connectivity-report.js';
import { DOCS } from '../../test/unit/docs-pictures.js';
import { loadPlanInputs } from '../cli/plan-inputs.js';
import { connectivityToJson } from '../report/connectivity-json.js';
import { renderDot } from './dot.js';
import { reportOf } from './from-documents.js';
import { topologyOfPlan } from './from-plan.js';
import { graphOf } from './graph.js';
import { renderHtml } from './html.js';
import { renderMermaid } from './mermaid.js';
import { identifyReport } from './report-documents.js';

async function plan(name: string) {
  const ctx = { stdout: process.stdout, stderr: process.stderr, env: {}, cwd: DOCS.root };
  const inputs = { scenario: name, inventory: DOCS.inventory, scenarios: DOCS.scenarios };
  return (await loadPlanInputs(inputs, ctx)).plan;
}

describe('the topology of a plan', () => {
  it('macvlan on eth0.1: the VLAN NIC rides on eth0, and eth0 of both hosts on one segment', async () => {
    const g = graphOf(topologyOfPlan(await plan('macvlan-subif')));
    expect(g.nodes.filter((n) => n.kind === 'host').map((n) => n.lines[0])).toEqual([
      'server1 · 198.18.0.11',
      'server2 · 198.18.0.12',
    ]);
    const edges = g.edges.map((e) => `${e.kind} ${e.from} ${e.to}`);
    expect(edges).toContain('vlan i:server1/eth0.1 i:server1/eth0');
    expect(edges).toContain('parent n:server1/mac_net3 i:server1/eth0.1');
    expect(edges).toContain('cable i:server1/eth0 s:eth0');
    expect(edges).toContain('cable i:server2/eth0 s:eth0');
    expect(g.nodes.find((n) => n.id === 'i:server1/eth0.1')?.lines).toEqual([
      'eth0.1',
      'up, vlan 1 on eth0',
    ]);
  });

  it('an overlay network is one node shared by the hosts', async () => {
    const g = graphOf(topologyOfPlan(await plan('overlay')));
    const overlays = g.nodes.filter((n) => n.kind === 'overlay');
    expect(overlays).toHaveLength(1);
    const hosts = new Set(
      g.edges.filter((e) => e.to === overlays[0]?.id).map((e) => e.from.split('@')[1]),
    );
    expect([...hosts].sort()).toEqual(['server1', 'server2']);
  });

  it('as Mermaid and DOT: a subgraph or cluster per host, every line drawn', async () => {
    const g = graphOf(topologyOfPlan(await plan('macvlan-two-nic')));
    const mermaid = renderMermaid(g);
    expect(mermaid.match(/^ {2}subgraph /gm)).toHaveLength(2);
    expect(mermaid.match(/ (---|-\.-|===) /g)).toHaveLength(g.edges.length);
    const dot = renderDot(g);
    expect(dot.match(/subgraph cluster_/g)).toHaveLength(2);
    expect(dot.match(/ -- /g)).toHaveLength(g.edges.length);
  });
});

describe('the HTML report', () => {
  it('is one file that loads nothing: no URL to fetch, a policy that forbids it', async () => {
    const json = JSON.parse(
      JSON.stringify(
        connectivityToJson(sampleReport(), {
          exitCode: 3,
          roundTrips: {
            sshConnections: 2,
            sshCommands: 4,
            dockerCalls: 6,
            dockerRequests: 6,
            probers: 4,
          },
        }),
      ),
    ) as unknown;
    const doc = identifyReport(json);
    if (doc.kind === 'unknown') throw new Error(doc.problems.join('; '));
    const html = await renderHtml(reportOf(doc), '2026-01-01T00:00:00Z');
    expect(html).toContain(`content="default-src 'none';`);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html.match(/class="node host/g)).toHaveLength(2);
    expect(html).toContain('id="lab-data"');
  });

  it('a check draws what a run draws: Docker versions, NIC flags, published ports (issue 12, items 1 and 2)', () => {
    const report = sampleReport();
    report.hosts[0] = {
      ...report.hosts[0]!,
      engine: '26.1.5',
      nics: [{ name: 'eth1', up: true, promisc: true }],
    };
    // Docker's own networks, which no container of the lab is on, are not drawn.
    report.networks.push(
      { host: 'server1', id: 'h', name: 'host', driver: 'host', internal: false, icc: true },
      { host: 'server1', id: 'n', name: 'none', driver: 'null', internal: false, icc: true },
    );
    const vm4 = report.matrix.sources.find((s) => s.name === 'vm4')!;
    vm4.published = [
      { port: 80, protocol: 'tcp', hostPort: 8080 },
      { port: 53, protocol: 'udp', hostPort: 5353, hostIp: '198.18.0.1' },
    ];
    const trips = {
      sshConnections: 2,
      sshCommands: 4,
      dockerCalls: 6,
      dockerRequests: 6,
      probers: 4,
    };
    const json = JSON.parse(
      JSON.stringify(connectivityToJson(report, { exitCode: 3, roundTrips: trips })),
    ) as { hosts: { engine?: string; nics?: unknown }[] };
    expect(json.hosts[0]).toMatchObject({
      engine: '26.1.5',
      nics: [{ name: 'eth1', up: true, promisc: true }],
    });
    const doc = identifyReport(json);
    if (doc.kind === 'unknown') throw new Error(doc.problems.join('; '));
    const [section] = reportOf(doc).sections;
    const server1 = section!.topology.hosts[0]!;
    expect(server1.engine).toBe('Docker 26.1.5'); // labelled as a run's host is
    expect(server1.networks.map((n) => n.name).sort()).toEqual(['mac_net1', 'mac_net2']);
    expect(server1.nics.find((n) => n.name === 'eth1')?.flags).toEqual(['up', 'promisc']);
    expect(server1.containers.find((c) => c.name === 'vm4')?.ports).toEqual([
      '8080:80',
      '198.18.0.1:5353:53/udp',
    ]);
    const g = graphOf(section!.topology);
    expect(g.nodes.find((n) => n.id === 'h:server1')?.lines.join('\n')).toContain('Docker 26.1.5');
    expect(
      g.nodes.find((n) => n.kind === 'container' && n.lines[0]?.startsWith('vm4'))?.lines,
    ).toContain('-p 8080:80 -p 198.18.0.1:5353:53/udp');
    expect(g.nodes.find((n) => n.id === 'i:server1/eth1')?.lines).toEqual(['eth1', 'up, promisc']);
  });

  it('names what it expected when a document is not lab’s', () => {
    expect(identifyReport({ hello: 1 })).toMatchObject({
      kind: 'unknown',
      problems: [expect.stringMatching(/none of the keys checks .* cells/)],
    });
    const r = identifyReport({ cells: [] });
    expect(r.kind).toBe('unknown');
    expect(r.kind === 'unknown' && r.problems.join(' ')).toMatch(/verdict/);
  });
});
