import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOX_IMAGE } from '../../src/box/index.js';
import { boxHosts, type BoxHosts } from './box-hosts.js';
import { lab } from './cli.js';
import { BoxWitness } from './host-state.js';

const run = promisify(execFile);

interface JsonCell {
  source: string;
  target: string;
  origin: string;
  outcome: string;
  portState?: string;
  reason: string;
  observed: string;
}

/**
 * Issue 13 on the box, items 3 and 4, one box for both (about a minute):
 * - a compose-like deployment lab did not make (labels com.docker.compose.project=shop, tier=web|db,
 *   made with the docker CLI) checked by `--select` against a `--policy`: each verdict names its
 *   policy line, and lab neither changes the containers nor execs in them;
 * - the overlay scenario with 4789/udp dropped by server1's firewall stops in preflight with the
 *   issue's words, and nothing is changed on any host.
 */
describe('any deployment against a policy; swarm port preflight (box)', () => {
  let box: BoxHosts;
  let inventory: string;
  let dir: string;
  const docker = (...args: string[]) =>
    run('docker', ['-H', `unix://${box.localDockerSockets[0] ?? ''}`, ...args]);
  const iptables = async (i: number, ...args: string[]) => {
    const [cmd = 'nsenter', ...pre] = box.state.hosts[i]!.nsenter;
    await run(cmd, [...pre, 'iptables', ...args]);
  };
  const DROP_VXLAN = ['INPUT', '-p', 'udp', '--dport', '4789', '-j', 'DROP'];
  const removeShop = async () => {
    await docker('rm', '-f', 'shop-web-1', 'shop-db-1').catch(() => {});
    await docker('network', 'rm', 'shop_back').catch(() => {});
  };

  beforeAll(async () => {
    box = await boxHosts();
    inventory = box.state.inventory;
    dir = await mkdtemp(path.join(os.tmpdir(), 'lab-policy-'));
    await removeShop();
    await docker('network', 'create', '--subnet', '198.19.61.0/24', 'shop_back');
    // The box's own image, never a registry; labelled as compose labels its containers.
    const shop = (name: string, tier: string, ip: string, ...command: string[]) =>
      docker(
        'run',
        '-d',
        '--pull',
        'never',
        '--name',
        name,
        '--label',
        'com.docker.compose.project=shop',
        '--label',
        `tier=${tier}`,
        '--network',
        'shop_back',
        '--ip',
        ip,
        BOX_IMAGE,
        ...command,
      );
    await shop('shop-db-1', 'db', '198.19.61.3', 'sh', '-c', 'httpd -p 5432 -h /; exec sleep 3600');
    await shop('shop-web-1', 'web', '198.19.61.2', 'sleep', '3600');
  }, 120_000);

  afterAll(async () => {
    await iptables(0, '-D', ...DROP_VXLAN).catch(() => {});
    await removeShop();
    await rm(dir, { recursive: true, force: true });
  });

  it('checks the shop by label against the policy, read-only, each verdict naming its line', async () => {
    const policy = path.join(dir, 'shop-policy.yaml');
    await writeFile(
      policy,
      [
        'expect:',
        '  - from: { label: tier=web }',
        '    reach: { label: tier=db, port: 5432 }',
        '    reason: the web tier talks to its database',
        '  - from: { label: tier=web }',
        '    not_reach: { label: tier=db, port: 6379 }',
        '    reason: no cache on the database host',
        '  - from: { label: tier=db }',
        '    not_reach: { host: server2 }',
        '    reason: the database talks to nothing beyond its network',
        '',
      ].join('\n'),
    );
    const inspect = async () =>
      JSON.parse((await docker('inspect', 'shop-web-1', 'shop-db-1')).stdout) as {
        Id: string;
        ExecIDs: string[] | null;
        State: { StartedAt: string };
      }[];
    const before = await inspect();
    const r = await lab([
      'check',
      'connectivity',
      '-i',
      inventory,
      '--host',
      'server1',
      '--no-names',
      '--select',
      'label=com.docker.compose.project=shop',
      '--policy',
      policy,
      '--json',
    ]);
    const report = JSON.parse(r.stdout) as {
      verdict: string;
      cells: JsonCell[];
      sources: { name: string; listening?: { port: number; protocol: string }[] }[];
      roundTrips: { probers: number; dockerCallsByOperation: Record<string, number> };
    };
    const cell = (source: string, target: string) => {
      const c = report.cells.find((x) => x.source === source && x.target === target);
      if (!c)
        throw new Error(
          `no cell ${source} → ${target}: ${report.cells.map((x) => x.target).join(' ')}`,
        );
      return c;
    };
    const db5432 = cell('shop-web-1@server1', 'port:shop-db-1@server1/shop_back:5432/tcp');
    expect(db5432).toMatchObject({ origin: 'policy', outcome: 'pass', portState: 'open' });
    expect(db5432.reason).toBe(`the web tier talks to its database (policy ${policy}:2)`);
    const db6379 = cell('shop-web-1@server1', 'port:shop-db-1@server1/shop_back:6379/tcp');
    expect(db6379).toMatchObject({ origin: 'policy', outcome: 'pass', portState: 'refused' });
    expect(db6379.observed).toMatch(/^refused: nothing listens on 6379/);
    // A bridge NATs out: the policy is wrong about the deployment, and the cell says so.
    const out = cell('shop-db-1@server1', 'host:server2');
    expect(out).toMatchObject({ origin: 'policy', outcome: 'fail' });
    expect(out.reason).toMatch(new RegExp(`policy ${policy}:8\\)$`));
    expect(report.verdict).toBe('fail');
    expect(r.code).toBe(1);
    // Read-only: the same containers, not restarted, never an exec in them; no prober left.
    const after = await inspect();
    expect(after.map((c) => [c.Id, c.State.StartedAt])).toEqual(
      before.map((c) => [c.Id, c.State.StartedAt]),
    );
    expect(after.map((c) => c.ExecIDs ?? [])).toEqual([[], []]);
    // What they listen on was read on the host (their main process's /proc/PID/net, one command),
    // not by a prober of its own in each one's namespace: every container run is a probe's.
    const db = report.sources.find((s) => s.name === 'shop-db-1');
    expect(db?.listening).toContainEqual({ port: 5432, protocol: 'tcp' });
    expect(report.roundTrips.dockerCallsByOperation['run']).toBe(report.roundTrips.probers);
    const left = await docker('ps', '-aq', '--filter', 'label=lab.kind=probe');
    expect(left.stdout.trim()).toBe('');
  }, 120_000);

  it('a bad policy is bad input naming file:line before any host is touched', async () => {
    const policy = path.join(dir, 'bad.yaml');
    await writeFile(
      policy,
      'expect:\n  - from: { label: tier=web }\n    reach: { lable: tier=db }\n    reason: x\n',
    );
    const r = await lab([
      'check',
      'connectivity',
      '-i',
      inventory,
      '--select',
      'name=shop-*',
      '--policy',
      policy,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${policy}:3:`);
    expect(r.stderr).toMatch(/lable/);
  });

  it("overlay with 4789/udp dropped on server1 stops in preflight, in the issue's words, nothing changed", async () => {
    const witness = await BoxWitness.open(box);
    try {
      const before = await witness.state('overlay');
      await iptables(0, '-I', ...DROP_VXLAN);
      const r = await lab(['run', 'overlay', '-i', inventory]);
      const all = r.stdout + r.stderr;
      expect(all).toContain(
        'server2 cannot reach server1 on 4789/udp (VXLAN): the overlay would carry no traffic; open it in the host firewall',
      );
      expect(all).not.toMatch(/cannot reach server1 on (2377|7946)/);
      expect(r.code).toBe(2);
      expect(await witness.state('overlay')).toEqual(before);
      expect(await witness.labelled('overlay')).toEqual([]);
    } finally {
      await iptables(0, '-D', ...DROP_VXLAN).catch(() => {});
      await witness.close();
    }
  }, 180_000);
});
