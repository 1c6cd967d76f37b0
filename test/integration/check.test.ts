import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxUp, readBoxState, realBoxSystem } from '../../src/box/index.js';
import { main } from '../../src/cli/main.js';
import { createLocalDockerClient } from '../../src/docker/connect-docker.js';
import type { DockerClient } from '../../src/docker/docker-client.js';
import { boxHosts, boxStateDir, type BoxHosts } from './box-hosts.js';
import { lab, repoRoot } from './cli.js';

const run = promisify(execFile);

/** Runs a command to its exit, noting how long after its verdict line ("PASS:"…) it exited. */
function runUntilExit(
  file: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; verdictToExitMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let verdictAt: number | undefined;
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (verdictAt === undefined && /^(PASS|FAIL|ERROR):/m.test(stdout)) verdictAt = Date.now();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, verdictToExitMs: Date.now() - (verdictAt ?? 0) });
    });
  });
}

/** The CLI in-process with a Ctrl-C the test can press (ctx.signal, as bin/lab.js wires SIGINT). */
async function labInterruptible(args: string[], signal: AbortSignal): Promise<number> {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  return main(args, {
    stdout: sink,
    stderr: sink,
    env: { HOME: process.env.HOME, PATH: process.env.PATH, USER: 'root', NO_COLOR: '1' },
    cwd: repoRoot,
    signal,
  });
}

interface JsonCell {
  source: string;
  target: string;
  targetLabel: string;
  kind: string;
  expect: string;
  origin: string;
  outcome: string;
  reached?: boolean;
  reason: string;
  observed: string;
  reproduce: string;
}
interface JsonReport {
  verdict: string;
  exitCode: number;
  cells: JsonCell[];
  roundTrips: { sshConnections: number; sshCommands: number; probers: number };
  hosts: { host: string; error?: { message: string } }[];
}

/**
 * `lab check connectivity` on the box with the seed's two-NIC macvlan lab deployed: the whole
 * matrix passes; one interface taken down fails exactly its cells; a host whose sshd is stopped
 * turns exactly what depends on it into ERROR. Each check's matrix is read from --json.
 */
describe('lab check connectivity on the box (macvlan-two-nic)', () => {
  let box: BoxHosts;
  let inventory: string;
  const engines: DockerClient[] = [];

  const check = async (...extra: string[]) => {
    const r = await lab(['check', 'connectivity', '-i', inventory, '--json', ...extra]);
    return { ...r, report: JSON.parse(r.stdout) as JsonReport };
  };
  const cell = (report: JsonReport, source: string, target: string) => {
    const c = report.cells.find((x) => x.source === source && x.target === target);
    if (!c) throw new Error(`no cell ${source} → ${target}`);
    return c;
  };
  /** A command in a container's own network namespace, from this machine (root), as an admin would. */
  async function inContainer(
    hostIndex: number,
    container: string,
    command: string[],
  ): Promise<void> {
    const info = await engines[hostIndex]!.inspectContainer(container);
    if (!info?.pid) throw new Error(`${container} is not running`);
    await run('nsenter', ['-t', String(info.pid), '-n', ...command]);
  }
  async function probersLeft(): Promise<number> {
    const lists = await Promise.all(
      engines.map((e) => e.listContainers({ labels: { 'lab.kind': 'probe' } })),
    );
    return lists.flat().length;
  }

  beforeAll(async () => {
    box = await boxHosts();
    inventory = box.state.inventory;
    for (const [i, socket] of box.localDockerSockets.entries()) {
      engines.push(await createLocalDockerClient(socket, box.state.hosts[i]!.name));
    }
    const r = await lab(['run', 'macvlan-two-nic', '-i', inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  afterAll(async () => {
    await lab(['down', 'macvlan-two-nic', '-i', inventory]);
    await Promise.all(engines.map((e) => e.close()));
  });

  /**
   * Zombies in a container's PID namespace: orphans its PID 1 (here `sleep`) never reaps. busybox
   * timeout's watcher outlived every lookup this way, ~100 per check in each source.
   */
  async function zombiesIn(hostIndex: number, container: string): Promise<number> {
    const info = await engines[hostIndex]!.inspectContainer(container);
    if (!info?.pid) throw new Error(`${container} is not running`);
    const r = await run('ps', ['--ppid', String(info.pid), '-o', 'stat=']).catch(
      (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }), // ps exits 1 when none match
    );
    return r.stdout.split('\n').filter((l) => l.trim().startsWith('Z')).length;
  }

  it('shows reach within each macvlan network across hosts, isolation elsewhere; all PASS', async () => {
    const zombiesBefore = await zombiesIn(0, 'vm4');
    const { code, report } = await check('--scenario', 'macvlan-two-nic');
    expect(report.verdict).toBe('pass');
    expect(code).toBe(0);
    // 4 sources × (4 addresses + 2 gateways + 2 hosts + 4 names), minus each one's own address and name.
    expect(report.cells).toHaveLength(40);
    expect(report.cells.every((c) => c.outcome === 'pass')).toBe(true);
    const reach = report.cells
      .filter((c) => c.reached)
      .map((c) => `${c.source} → ${c.targetLabel}`);
    expect(reach.sort()).toEqual([
      'vm4@server1 → vm5 198.19.1.11',
      'vm5@server2 → vm4 198.19.1.10',
      'vm6@server1 → vm7 198.19.2.11',
      'vm7@server2 → vm6 198.19.2.10',
    ]);
    // Between the two networks, on one host and across hosts.
    expect(cell(report, 'vm4@server1', 'addr:vm6@server1/mac_net2')).toMatchObject({
      expect: 'no-reach',
      reached: false,
    });
    expect(cell(report, 'vm5@server2', 'addr:vm7@server2/mac_net2').reason).toMatch(
      /no router between them/, // the scenario's own words override the derived ones
    );
    // Each container from its own host.
    for (const [source, own] of [
      ['vm4@server1', 'server1'],
      ['vm6@server1', 'server1'],
      ['vm5@server2', 'server2'],
      ['vm7@server2', 'server2'],
    ] as const) {
      expect(cell(report, source, `host:${own}`)).toMatchObject({
        reached: false,
        outcome: 'pass',
      });
    }
    // The gateways nobody answers.
    const gateways = report.cells.filter((c) => c.kind === 'gateway');
    expect(gateways).toHaveLength(8);
    expect(gateways.every((c) => c.reached === false && c.outcome === 'pass')).toBe(true);
    // Round trips: one SSH connection per host, two remote commands per host (`ip -o link show`,
    // the NIC flags the report draws, issue 12; one `grep` of every container's listening sockets,
    // src/probe/host-listening.ts, instead of an exec in each), one prober per source.
    expect(report.roundTrips).toMatchObject({ sshConnections: 2, sshCommands: 4, probers: 4 });
    expect(await probersLeft()).toBe(0);
    // The probes ran in vm4 itself (it has the probe image) and left no process behind there.
    expect(await zombiesIn(0, 'vm4')).toBe(zombiesBefore);
  });

  it('as a command, exits by itself as soon as it is done (nothing left open)', async () => {
    // The real launcher (bin/lab.js runs dist/, built by `npm test`): a connection or stream left
    // open would keep the process alive after its report. Measured from the verdict line to the
    // exit, so a loaded machine's slower probes do not count against it.
    const r = await runUntilExit(process.execPath, [
      path.join(repoRoot, 'bin/lab.js'),
      'check',
      'connectivity',
      '-i',
      inventory,
    ]);
    expect(r.stdout).toMatch(/^PASS: all 40 cells/m);
    expect(r.code).toBe(0);
    expect(r.verdictToExitMs).toBeLessThan(2_000);
  });

  it('prints the matrix with a legend, readable without colour', async () => {
    const r = await lab(['check', 'connectivity', '-i', inventory]);
    expect(r.code).toBe(0);
    expect(r.stdout.includes('\u001b[')).toBe(false);
    expect(r.stdout).toMatch(/^vm4@server1 +· +● +○/m);
    expect(r.stdout).toMatch(/● reaches, as expected {3}○ does not reach, as expected/);
    expect(r.stdout).toMatch(/^PASS: all 40 cells as expected \(4 reach, 36 isolated\)/m);
  });

  it('an interface taken down fails exactly the cells that needed it, and says how to reproduce', async () => {
    await inContainer(0, 'vm4', ['ip', 'link', 'set', 'eth0', 'down']);
    try {
      const junit = `/tmp/lab-check-${process.pid}.xml`;
      const { code, report } = await check('--wait', '1', '--junit', junit);
      expect(report.verdict).toBe('fail');
      expect(code).toBe(1);
      const failed = report.cells.filter((c) => c.outcome !== 'pass');
      expect(failed.map((c) => `${c.source} → ${c.target}`).sort()).toEqual([
        'vm4@server1 → addr:vm5@server2/mac_net1',
        'vm5@server2 → addr:vm4@server1/mac_net1',
      ]);
      expect(failed.every((c) => c.outcome === 'fail' && c.expect === 'reach')).toBe(true);
      expect(cell(report, 'vm4@server1', 'addr:vm5@server2/mac_net1').reproduce).toMatch(
        /^ssh .*root@198\.18\.0\.1 'docker run --rm --network container:vm4 lab\/busybox:latest ping -c 1 -W 1 -I eth0 198\.19\.1\.11'$/,
      );
      const { readFile, rm } = await import('node:fs/promises');
      const xml = await readFile(junit, 'utf8');
      await rm(junit);
      expect(xml.match(/<testcase /g)).toHaveLength(40);
      expect(xml.match(/<failure /g)).toHaveLength(2);
      const text = await lab(['check', 'connectivity', '-i', inventory, '--wait', '1']);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/^FAIL {2}vm4@server1 → vm5 198\.19\.1\.11$/m);
      expect(text.stdout).toMatch(/^ {2}expected: reach — .*both on mac_net1/m);
      expect(text.stdout).toMatch(/^ {2}probed: {3}198\.19\.1\.11 from vm4's eth0$/m);
      expect(text.stdout).toMatch(/^FAIL: 2 of 40 cells not as expected/m);
    } finally {
      await inContainer(0, 'vm4', ['ip', 'link', 'set', 'eth0', 'up']);
      await inContainer(0, 'vm4', ['ip', 'route', 'replace', 'default', 'via', '198.19.1.1']);
    }
    expect((await check()).code).toBe(0);
  });

  it('probes from a container whose image has no ping: the prober brings its own', async () => {
    const name = `noping-${process.pid}`;
    const labels = { 'lab.managed': 'true', 'lab.scenario': 'noping-test', 'lab.host': 'server1' };
    await engines[0]!.createContainer({
      name,
      image: 'lab/busybox:latest',
      command: ['sleep', '600'],
      labels,
      network: { name: 'mac_net1', ipv4: '198.19.1.20' },
    });
    try {
      await engines[0]!.startContainer(name);
      await engines[0]!.exec(name, ['rm', '/bin/ping']);
      const own = await engines[0]!.exec(name, ['ping', '-c', '1', '198.19.1.11']);
      // The Engine answers 126 (runtime could not exec) or 127, depending on version.
      expect([126, 127]).toContain(own.exitCode);
      const { code, report } = await check('--host', 'server1', '--network', 'mac_net1');
      expect(code).toBe(0);
      expect(cell(report, `${name}@server1`, 'addr:vm5@server2/mac_net1')).toMatchObject({
        outcome: 'pass',
        reached: true,
      });
    } finally {
      await engines[0]!.removeContainer(name);
    }
  });

  it('a probe image missing on the hosts is an ERROR for their cells, with the flag that fixes it', async () => {
    const { code, report } = await check('--probe-image', 'nope/none:0');
    expect(code).toBe(3);
    expect(
      report.hosts.every((h) =>
        /probe image nope\/none:0 is not there/.test(h.error?.message ?? ''),
      ),
    ).toBe(true);
    expect(report.cells.every((c) => c.outcome === 'error')).toBe(true);
  });

  it('leaves no prober behind when interrupted', async () => {
    const interrupt = new AbortController();
    const pending = labInterruptible(['check', 'connectivity', '-i', inventory], interrupt.signal);
    setTimeout(() => interrupt.abort(), 400);
    expect(await pending).toBe(130);
    expect(await probersLeft()).toBe(0);
  });

  it("with a host's sshd stopped: its cells ERROR, the rest still verdicts, exit 3", async () => {
    const state = await readBoxState(boxStateDir());
    const server2 = state.hosts.find((h) => h.name === 'server2')!;
    process.kill(server2.sshd.pid, 'SIGKILL');
    try {
      const { code, report } = await check('--scenario', 'macvlan-two-nic');
      expect(code).toBe(3);
      expect(report.verdict).toBe('error');
      expect(report.hosts.find((h) => h.host === 'server2')?.error?.message).toMatch(/server2/);
      const onServer2 = (c: JsonCell) =>
        c.source.endsWith('@server2') || /^(addr|name):vm[57]@server2/.test(c.target);
      const errors = report.cells.filter((c) => c.outcome === 'error');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every(onServer2)).toBe(true);
      const rest = report.cells.filter((c) => !onServer2(c));
      expect(rest.length).toBeGreaterThan(0);
      expect(rest.every((c) => c.outcome === 'pass')).toBe(true);
      // Hosts and gateways are still probed from server1, server2's address included.
      expect(cell(report, 'vm4@server1', 'host:server2').outcome).toBe('pass');
    } finally {
      // A box with a dead sshd is unhealthy: `up` removes it and builds a fresh one of the same size.
      await engines.splice(0).reduce((p, e) => p.then(() => e.close()), Promise.resolve());
      const sys = realBoxSystem({ env: process.env, isRoot: true, report: () => {} });
      await boxUp(sys, { stateDir: boxStateDir(), hostCount: state.hosts.length });
    }
  });
});
