import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxHosts, type BoxHosts } from './box-hosts.js';
import { lab } from './cli.js';

const run = promisify(execFile);

interface JsonCell {
  source: string;
  target: string;
  targetLabel: string;
  expect: string;
  origin: string;
  outcome: string;
  reached?: boolean;
  portState?: string;
  reason: string;
  observed: string;
  durationMs: number;
  reproduce: string;
}
interface JsonReport {
  verdict: string;
  exitCode: number;
  cells: JsonCell[];
  roundTrips: { dockerCallsByOperation: Record<string, number> };
}
interface RunJson {
  verdict: string;
  checks: { outcome: string; evidence: string }[];
}

/**
 * Ports on the box (issue 13, items 1 and 5): the ports-publish scenario passes with words for each
 * port outcome; `lab check connectivity` derives cells for the port db listens on and the port web
 * publishes; a firewall that drops the published port turns its cell into "no answer within 1 s:
 * filtered or dropped", and a refused port answers at once. One scenario, one box, about a minute.
 */
describe('ports on the box (ports-publish)', () => {
  let box: BoxHosts;
  let inventory: string;
  /** iptables in server1's own network namespace, as its admin would type it. */
  const server1Iptables = async (...args: string[]) => {
    const [cmd = 'nsenter', ...pre] = box.state.hosts[0]!.nsenter;
    await run(cmd, [...pre, 'iptables', ...args]);
  };
  // In raw PREROUTING: before Docker's DNAT, as a host firewall in front of the published port.
  const DROP_8080 = ['PREROUTING', '-p', 'tcp', '--dport', '8080', '-j', 'DROP'];
  const check = async (...extra: string[]) => {
    const r = await lab([
      'check',
      'connectivity',
      '-i',
      inventory,
      '--scenario',
      'ports-publish',
      '--json',
      ...extra,
    ]);
    return { ...r, report: JSON.parse(r.stdout) as JsonReport };
  };
  const cell = (report: JsonReport, source: string, target: string) => {
    const c = report.cells.find((x) => x.source === source && x.target === target);
    if (!c)
      throw new Error(
        `no cell ${source} → ${target}: ${report.cells.map((x) => x.target).join(' ')}`,
      );
    return c;
  };

  beforeAll(async () => {
    box = await boxHosts();
    inventory = box.state.inventory;
  });

  afterAll(async () => {
    await server1Iptables('-t', 'raw', '-D', ...DROP_8080).catch(() => {});
    await lab(['down', 'ports-publish', '-i', inventory]);
  });

  it('lab run: connected on the bridge and through the published port, refused where nothing is published', async () => {
    const r = await lab(['run', 'ports-publish', '-i', inventory, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as RunJson;
    expect(doc.verdict).toBe('pass');
    const evidence = doc.checks.map((c) => `${c.outcome} ${c.evidence}`);
    expect(evidence).toEqual([
      expect.stringMatching(/^pass connected to 5432\/tcp /),
      expect.stringMatching(/^pass connected to 8080\/tcp /),
      expect.stringMatching(/^pass refused: nothing listens on 5432 /),
      expect.stringMatching(/^pass refused: nothing listens on 5353\/udp /),
    ]);
  });

  it('lab check: port cells for what db listens on and what web publishes, all as expected', async () => {
    const { code, report } = await check();
    expect(
      report.verdict,
      JSON.stringify(
        report.cells.filter((c) => c.outcome !== 'pass'),
        null,
        1,
      ),
    ).toBe('pass');
    expect(code).toBe(0);
    // Found in db's own /proc/net; the scenario's expectation gives this cell its words.
    expect(cell(report, 'web@server1', `port:db@server1/shop_net:5432/tcp`)).toMatchObject({
      expect: 'reach',
      outcome: 'pass',
      portState: 'open',
      origin: 'scenario',
    });
    // Found in web's /proc/net, no expectation names it: derived, for whoever reaches web's address.
    const listening = cell(report, 'db@server1', `port:web@server1/shop_net:80/tcp`);
    expect(listening).toMatchObject({ expect: 'reach', outcome: 'pass', portState: 'open' });
    expect(listening.reason).toMatch(/^web listens on 80\/tcp; /);
    // client is on another host: db's private bridge address is out of its reach, port or not.
    expect(cell(report, 'client@server2', `port:db@server1/shop_net:5432/tcp`)).toMatchObject({
      expect: 'no-reach',
      outcome: 'pass',
    });
    // Derived from web's published port, from the other host.
    const published = cell(report, 'client@server2', 'port:host:server1:8080/tcp');
    expect(published).toMatchObject({ expect: 'reach', outcome: 'pass', portState: 'open' });
    expect(published.origin).toBe('scenario');
    // The same published port from db, on server1 itself: derived, no expectation names it.
    const derived = cell(report, 'db@server1', 'port:host:server1:8080/tcp');
    expect(derived).toMatchObject({ expect: 'reach', outcome: 'pass', origin: 'derived' });
    expect(derived.reason).toMatch(/^web publishes 8080\/tcp on server1's address; /);
    expect(published.reproduce).toMatch(/nc -w 1 198\.18\.0\.1 8080 -e true/);
    // The same published port from server2 itself (its own network namespace, not a container's).
    const fromHost = cell(report, '(host)@server2', 'port:host:server1:8080/tcp');
    expect(fromHost).toMatchObject({ expect: 'reach', outcome: 'pass', portState: 'open' });
    expect(fromHost.reason).toMatch(
      /^web publishes 8080\/tcp on server1's address 198\.18\.0\.1, and server2 reaches/,
    );
    expect(fromHost.reproduce).toMatch(
      /docker run --rm --network host .* nc -w 1 198\.18\.0\.1 8080 -e true/,
    );
    // The scenario's refusals: at once, not after the 1 s timeout.
    const refused = cell(report, 'client@server2', 'port:host:server1:5432/tcp');
    expect(refused).toMatchObject({ outcome: 'pass', reached: false, portState: 'refused' });
    expect(refused.observed).toMatch(/^refused: nothing listens on 5432 /);
    expect(refused.durationMs).toBeLessThan(500);
    expect(cell(report, 'client@server2', 'port:host:server1:5353/udp')).toMatchObject({
      outcome: 'pass',
      portState: 'refused',
    });
    // The scenario's containers run the probe image, so their scripts ran in them: each TCP first
    // try kept nc's words in the script's scratch directory, which is gone with the script.
    for (const [i, name] of [
      [0, 'web'],
      [0, 'db'],
      [1, 'client'],
    ] as const) {
      const ls = await run('docker', [
        '-H',
        `unix://${box.localDockerSockets[i]}`,
        'exec',
        name,
        'ls',
        '-a',
        '/tmp',
      ]);
      expect(ls.stdout, `${name}'s /tmp`).not.toMatch(/\.lab-probe/);
    }
    // --ports none: no port cell but the scenario's own.
    const none = await check('--ports', 'none');
    // What listens was found by one command on each host (/proc/PID/net of each container's main
    // process, src/probe/host-listening.ts), not by a `docker exec` in each container: the only
    // execs are the probes', as many as without reading any port.
    const execs = (r: JsonReport) => r.roundTrips.dockerCallsByOperation['exec'] ?? 0;
    expect(execs(report)).toBe(execs(none.report));
    const portCells = none.report.cells.filter((c) => c.target.startsWith('port:'));
    expect(portCells.map((c) => `${c.source} ${c.target}`).sort()).toEqual([
      'client@server2 port:host:server1:5353/udp',
      'client@server2 port:host:server1:5432/tcp',
      'client@server2 port:host:server1:8080/tcp',
      'web@server1 port:db@server1/shop_net:5432/tcp',
    ]);
  });

  // The box's inventory names lab_outside_address=198.18.0.254, this machine's side of the switch:
  // lab connects from there itself (issue 13 item 1, "from outside the hosts").
  const OUTSIDE = '(outside)@198.18.0.254';

  it('from outside the hosts: connected to the published port, refused where nothing is published', async () => {
    const { report } = await check('--wait', '0');
    const published = cell(report, OUTSIDE, 'port:host:server1:8080/tcp');
    expect(published).toMatchObject({ expect: 'reach', outcome: 'pass', portState: 'open' });
    expect(published.observed).toMatch(/^connected to 8080\/tcp /);
    expect(published.reason).toMatch(/^web publishes 8080\/tcp on server1's address 198\.18\.0\.1/);
    expect(published.reproduce).toBe('nc -w 1 -s 198.18.0.254 198.18.0.1 8080 </dev/null');
    // 5432 is a column because the scenario names it; nothing publishes it: refused, at once.
    const refused = cell(report, OUTSIDE, 'port:host:server1:5432/tcp');
    expect(refused).toMatchObject({ expect: 'no-reach', outcome: 'pass', portState: 'refused' });
    expect(refused.observed).toMatch(/^refused: nothing listens on 5432 /);
    expect(refused.durationMs).toBeLessThan(500);
    expect(cell(report, OUTSIDE, 'port:host:server1:5353/udp')).toMatchObject({
      outcome: 'pass',
      portState: 'refused',
    });
    expect(report.verdict).toBe('pass');
  });

  it('a firewall that drops the published port: "no answer within 1 s: filtered or dropped", FAIL', async () => {
    await server1Iptables('-t', 'raw', '-I', ...DROP_8080);
    try {
      const { code, report } = await check('--wait', '0', '--ports', 'published');
      const c = cell(report, 'client@server2', 'port:host:server1:8080/tcp');
      expect(c).toMatchObject({
        expect: 'reach',
        outcome: 'fail',
        reached: false,
        portState: 'silent',
      });
      expect(c.observed).toMatch(/^no answer within 1 s: filtered or dropped/);
      expect(cell(report, '(host)@server2', 'port:host:server1:8080/tcp')).toMatchObject({
        outcome: 'fail',
        portState: 'silent',
      });
      // From outside the hosts too: the rule is in front of Docker's DNAT for every source.
      const outside = cell(report, OUTSIDE, 'port:host:server1:8080/tcp');
      expect(outside).toMatchObject({ outcome: 'fail', reached: false, portState: 'silent' });
      expect(outside.observed).toMatch(/^no answer within 1 s: filtered or dropped/);
      expect(report.verdict).toBe('fail');
      expect(code).toBe(1);
    } finally {
      await server1Iptables('-t', 'raw', '-D', ...DROP_8080);
    }
  });
});

/**
 * Path MTU on the box (issue 13, item 2): server2's switch port is given an MTU of 1400, so the
 * switch drops any larger frame. Pings still pass between vm4 and vm5 on mac_net1 (eth0), but the
 * one full-size packet with "don't fragment" does not, and the cell says so.
 */
describe('path MTU on the box (macvlan-one-nic)', () => {
  let box: BoxHosts;
  let inventory: string;
  const setPortMtu = async (mtu: number) => {
    const port = box.state.hosts[1]!.interfaces.find((i) => i.name === 'eth0')!.rootPeer;
    await run('ip', ['link', 'set', port, 'mtu', String(mtu)]);
  };

  beforeAll(async () => {
    box = await boxHosts();
    inventory = box.state.inventory;
    const r = await lab(['run', 'macvlan-one-nic', '-i', inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
  afterAll(async () => {
    await setPortMtu(1500);
    await lab(['down', 'macvlan-one-nic', '-i', inventory]);
  });

  it('small packets pass, 1500-byte packets do not: FAIL with those words; fine again at 1500', async () => {
    const check = async () => {
      const r = await lab([
        'check',
        'connectivity',
        '-i',
        inventory,
        '--scenario',
        'macvlan-one-nic',
        '--ports',
        'none',
        '--json',
      ]);
      return { code: r.code, report: JSON.parse(r.stdout) as JsonReport };
    };
    await setPortMtu(1400);
    try {
      const { code, report } = await check();
      const c = report.cells.find(
        (x) => x.source === 'vm4@server1' && x.target === 'addr:vm5@server2/mac_net1',
      );
      expect(c).toMatchObject({ expect: 'reach', outcome: 'fail', reached: true });
      expect(c?.observed).toMatch(
        /^small packets pass, 1500-byte packets do not: the path MTU is lower than the network's/,
      );
      expect(code).toBe(1);
    } finally {
      await setPortMtu(1500);
    }
    const again = await check();
    expect(again.report.verdict).toBe('pass');
  });
});
