import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDockerClient } from '../../src/docker/connect-docker.js';
import type { DockerClient } from '../../src/docker/docker-client.js';
import { parseLinks } from '../../src/host/nic-state.js';
import { boxHosts, type BoxHosts } from './box-hosts.js';
import { lab, repoRoot } from './cli.js';

const run = promisify(execFile);

/**
 * `lab run` / `lab down` end to end on the box, checked on the hosts themselves (each host's own
 * Engine socket and network namespace, not through lab's SSH layer).
 */
describe('lab run macvlan-two-nic on the box', () => {
  let box: BoxHosts;
  let inventory: string;
  const engines: DockerClient[] = [];

  async function linksOf(hostIndex: number) {
    const host = box.state.hosts[hostIndex]!;
    const { stdout } = await run(host.nsenter[0]!, [
      ...host.nsenter.slice(1),
      'ip',
      '-o',
      'link',
      'show',
    ]);
    return parseLinks(stdout);
  }

  beforeAll(async () => {
    box = await boxHosts();
    inventory = box.state.inventory;
    for (const [i, socket] of box.localDockerSockets.entries()) {
      engines.push(await createLocalDockerClient(socket, box.state.hosts[i]!.name));
    }
  });
  afterAll(async () => {
    await lab(['down', 'macvlan-two-nic', '-i', inventory]);
    await Promise.all(engines.map((e) => e.close()));
  });

  it('passes end to end, with every expectation holding', async () => {
    const r = await lab(['run', 'macvlan-two-nic', '-i', inventory, '--json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('pass');
    expect(r.code).toBe(0);
    expect(report.checks).toHaveLength(7);
    expect(report.checks.every((c: { outcome: string }) => c.outcome === 'pass')).toBe(true);
    // What lab made is really there, on each host, with its labels.
    for (const engine of engines) {
      const nets = await engine.listNetworks({ labels: { 'lab.scenario': 'macvlan-two-nic' } });
      expect(nets.map((n) => n.name).sort()).toEqual(['mac_net1', 'mac_net2']);
    }
    const links = await linksOf(0);
    expect(links.get('eth0')?.promisc).toBe(true);
    expect(links.get('eth1')).toMatchObject({ up: true, promisc: true });
  });

  it('changes nothing on a second run', async () => {
    const r = await lab(['run', 'macvlan-two-nic', '-i', inventory, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const actions = report.hosts.flatMap((h: { steps: { action: string }[] }) =>
      h.steps.map((s) => s.action),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(['unchanged']));
  });

  it('lab down leaves no container, network, volume or changed NIC flag behind, and is idempotent', async () => {
    const r = await lab(['down', 'macvlan-two-nic', '-i', inventory]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/server1: removed/);
    for (const [i, engine] of engines.entries()) {
      expect(await engine.listContainers({ labels: { 'lab.managed': 'true' } })).toEqual([]);
      expect(await engine.listNetworks({ labels: { 'lab.managed': 'true' } })).toEqual([]);
      expect(await engine.listVolumes({ labels: { 'lab.managed': 'true' } })).toEqual([]);
      const links = await linksOf(i);
      expect(links.get('eth0')).toMatchObject({ up: true, promisc: false });
      expect(links.get('eth1')).toMatchObject({ up: false, promisc: false });
      expect(links.has('eth0.1')).toBe(true); // the box's stand-in is not lab's to remove
    }
    const again = await lab(['down', 'macvlan-two-nic', '-i', inventory]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/server1: nothing of macvlan-two-nic left/);
  });

  it('never touches a foreign container named like one of ours, and changes nothing anywhere', async () => {
    const server1 = engines[0]!;
    await server1.createContainer({
      name: 'vm4',
      image: 'lab/busybox:latest',
      interactive: true,
      labels: { owner: 'someone-else' },
    });
    await server1.startContainer('vm4');
    try {
      const r = await lab(['run', 'macvlan-two-nic', '-i', inventory]);
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).toMatch(/container vm4 already exists and was not made by lab/);
      const foreign = await server1.inspectContainer('vm4');
      expect(foreign?.running).toBe(true);
      expect(foreign?.labels).toEqual({ owner: 'someone-else' });
      // Preflight stopped the run before any change, on every host.
      for (const [i, engine] of engines.entries()) {
        expect(await engine.listNetworks({ labels: { 'lab.managed': 'true' } })).toEqual([]);
        expect((await linksOf(i)).get('eth0')?.promisc).toBe(false);
      }
      const down = await lab(['down', 'macvlan-two-nic', '-i', inventory]);
      expect(down.code).toBe(0);
      expect((await server1.inspectContainer('vm4'))?.running).toBe(true);
    } finally {
      await server1.removeContainer('vm4');
    }
  });

  it('refuses a host whose key does not match known_hosts', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-hostkey-'));
    const otherKey = path.join(dir, 'other');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const pub = (await readFile(`${otherKey}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
    const knownHosts = path.join(dir, 'known_hosts');
    const good = await readFile(box.state.knownHosts, 'utf8');
    // server1's line replaced by another key; server2 stays right.
    await writeFile(
      knownHosts,
      good
        .split('\n')
        .map((l) => (l.startsWith('198.18.0.1 ') ? `198.18.0.1 ${pub}` : l))
        .join('\n'),
    );
    const inv = path.join(dir, 'inventory.ini');
    await writeFile(
      inv,
      (await readFile(inventory, 'utf8')).replace(
        /^lab_known_hosts=.*$/m,
        `lab_known_hosts=${knownHosts}`,
      ),
    );
    const r = await lab(['run', 'macvlan-two-nic', '-i', inv]);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/server1[\s\S]*host key/i);
    // Nothing changed on server2 either: preflight failed before any host was touched.
    expect(await engines[1]!.listNetworks({ labels: { 'lab.managed': 'true' } })).toEqual([]);
  });

  it('stops on a scenario that fails its checks, although its hosts were being connected to', async () => {
    // lab run starts the SSH handshakes on the file's `hosts:` before the schema has read it.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-bad-scenario-'));
    const yaml = await readFile(path.join(repoRoot, 'scenarios/macvlan-two-nic.yaml'), 'utf8');
    const lines = yaml.split('\n');
    const at = lines.findIndex((l) => l.includes('network: mac_net1, ip: 10'));
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at]!.replace('ip: 10', 'ip: 300');
    await writeFile(path.join(dir, 'macvlan-two-nic.yaml'), lines.join('\n'));
    try {
      const r = await lab(['run', 'macvlan-two-nic', '-i', inventory, '--scenarios', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`macvlan-two-nic.yaml:${at + 1}:`);
      expect(r.stderr).toMatch(/host number 300 is outside 198\.19\.1\.0\/24/);
      for (const [i, engine] of engines.entries()) {
        expect(await engine.listNetworks({ labels: { 'lab.managed': 'true' } })).toEqual([]);
        expect(await engine.listVolumes({ labels: { 'lab.managed': 'true' } })).toEqual([]);
        expect((await linksOf(i)).get('eth0')?.promisc).toBe(false);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits non-zero and names the pair when an expectation cannot hold', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-scenarios-'));
    await copyFile(
      path.join(repoRoot, 'scenarios/macvlan-one-nic.yaml'),
      path.join(dir, 'macvlan-one-nic.yaml'),
    );
    const yaml = await readFile(path.join(dir, 'macvlan-one-nic.yaml'), 'utf8');
    await writeFile(
      path.join(dir, 'macvlan-one-nic.yaml'),
      `${yaml.trimEnd()}\n  - from: vm5\n    reach: { gateway: mac_net1 }\n    reason: a deliberately wrong claim, for the test\n`,
    );
    try {
      const r = await lab([
        'run',
        'macvlan-one-nic',
        '-i',
        inventory,
        '--scenarios',
        dir,
        '--wait',
        '2',
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/FAIL.*vm5.*reaches gateway of mac_net1/);
      expect(r.stdout).toMatch(/a deliberately wrong claim/);
      expect(r.stdout).toMatch(
        /reproduce on server2: docker run --rm --network container:vm5 \S+ ping -c 1 -W 1 -I eth0 /,
      );
    } finally {
      await lab(['down', 'macvlan-one-nic', '-i', inventory, '--scenarios', dir]);
    }
  });
});
