import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridges } from '../../test/fakes/topologies.js';
import type { PortSpec } from '../common/port.js';
import { buildMatrix } from './build-matrix.js';
import { describeObservation, judge } from './outcome.js';
import { portTargets } from './port-targets.js';
import { parseProcNet } from './proc-net.js';
import { buildProbeScript, parseProbeOutput, type ProbeLine } from './probe-script.js';
import { probeCommand } from './reproduce.js';
import type { Topology } from './topology.js';

const run = promisify(execFile);
const tcp = (port: number) => ({ port, protocol: 'tcp' as const });
const udp = (port: number) => ({ port, protocol: 'udp' as const });

const portLine = (port: ProbeLine['port'], status: ProbeLine['status']): ProbeLine => ({
  tag: '1',
  status,
  attempts: 1,
  durationMs: 3,
  ...(port && { port }),
});

describe('port probe lines', () => {
  it('reads what the port did; a probe that could not run is an error', () => {
    const out = parseProbeOutput(
      [
        '@@lab 1 open 1 - 10 -',
        '@@lab 2 refused 1 - 0 -',
        '@@lab 3 silent 4 - 5000 -',
        '@@lab 4 unreach 1 - 0 -',
        '@@lab 5 nonc 0 - 0 -',
        '@@lab 6 notr 0 - 0 -',
        '@@lab 7 fail 1 - 0 -',
        '@@lab-done',
      ].join('\n'),
    );
    expect(out.lines.get('1')).toMatchObject({ status: 'reached', port: 'open' });
    expect(out.lines.get('2')).toMatchObject({ status: 'not-reached', port: 'refused' });
    expect(out.lines.get('3')).toMatchObject({
      status: 'not-reached',
      port: 'silent',
      attempts: 4,
    });
    expect(out.lines.get('4')).toMatchObject({ status: 'not-reached', port: 'unreach' });
    expect(out.lines.get('5')).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/no nc/),
    });
    expect(out.lines.get('6')).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/no traceroute/),
    });
    expect(out.lines.get('7')?.status).toBe('error');
  });

  it('TCP: connected passes a must-reach; refused and silent do not; ERROR never passes', () => {
    expect(judge('reach', portLine('open', 'reached'), tcp(5432))).toEqual({
      outcome: 'pass',
      reached: true,
    });
    expect(judge('reach', portLine('refused', 'not-reached'), tcp(5432))).toEqual({
      outcome: 'fail',
      reached: false,
    });
    expect(judge('no-reach', portLine('silent', 'not-reached'), tcp(5432))).toEqual({
      outcome: 'pass',
      reached: false,
    });
    expect(judge('no-reach', { ...portLine(undefined, 'error') }, tcp(5432))).toEqual({
      outcome: 'error',
    });
  });

  it('UDP: only a refusal shows nothing gets there; silence is "not refused"', () => {
    expect(judge('reach', portLine('silent', 'not-reached'), udp(53))).toEqual({
      outcome: 'pass',
      reached: true,
    });
    expect(judge('no-reach', portLine('silent', 'not-reached'), udp(53))).toEqual({
      outcome: 'fail',
      reached: true,
    });
    expect(judge('no-reach', portLine('refused', 'not-reached'), udp(53))).toEqual({
      outcome: 'pass',
      reached: false,
    });
  });

  it('says it in words', () => {
    const say = (state: ProbeLine['port'], port: PortSpec = tcp(5432)) =>
      describeObservation(portLine(state, 'not-reached'), 'ip', { spec: port, timeoutSeconds: 1 });
    expect(say('open')).toBe('connected to 5432/tcp (1 attempt, 3 ms)');
    expect(say('refused')).toMatch(/^refused: nothing listens on 5432 /);
    expect(say('silent')).toMatch(/^no answer within 1 s: filtered or dropped/);
    expect(say('refused', udp(53))).toMatch(/^refused: nothing listens on 53\/udp/);
    expect(say('silent', udp(53))).toMatch(/^not refused: .*UDP sends no acknowledgement/);
  });

  it('repeats a port probe by hand with the same tool', () => {
    const base = {
      container: 'vm1',
      image: 'busybox',
      kind: 'ip' as const,
      dest: '198.19.1.5',
      timeoutSeconds: 1,
    };
    expect(probeCommand({ ...base, port: tcp(80) })).toBe(
      'docker run --rm --network container:vm1 busybox nc -w 1 198.19.1.5 80 -e true',
    );
    expect(probeCommand({ ...base, port: udp(4789) })).toMatch(
      /traceroute -n -q 1 -f 32 -m 32 -w 1 -p 4788 198\.19\.1\.5$/,
    );
  });
});

describe('the probe script, ports (run by sh with stand-in nc and traceroute)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lab-ports-'));
    const tool = async (name: string, body: string) => {
      await writeFile(path.join(dir, name), `#!/bin/sh\n${body}\n`);
      await chmod(path.join(dir, name), 0o755);
    };
    // nc -w T DEST PORT -e true: OPEN connects, DROP times out, LOST fails at once without a word,
    // anything else is refused.
    await tool(
      'nc',
      [
        'case " $OPEN " in *" $3:$4 "*) exit 0;; esac',
        'case " $DROP " in *" $3:$4 "*) echo "nc: timed out" >&2; exit 1;; esac',
        'case " $LOST " in *" $3:$4 "*) exit 1;; esac',
        'echo "nc: can\'t connect to remote host ($3): Connection refused" >&2; exit 1',
      ].join('\n'),
    );
    // traceroute … -p BASE DEST: the datagram goes to BASE+1; DROP is silent, else "port unreachable".
    // traceroute -F … DEST SIZE: silent when DEST is in $BIG_DROP (a path MTU below SIZE).
    await tool(
      'traceroute',
      [
        'echo "$*" >> "$LOG"',
        'for a; do prev=$last; last=$a; done',
        'if [ "$1" = -F ]; then case " $BIG_DROP " in *" $prev "*) echo "32  *"; exit 0;; esac; echo "32  $prev  0.1 ms"; exit 0; fi',
        'port=$(($prev + 1))',
        'echo "traceroute to $last ($last), 32 hops max, 46 byte packets"',
        'case " $DROP " in *" $last:$port "*) echo "32  *"; exit 0;; esac',
        // OTHER: only another probe's answer (another target, same port) reaches this traceroute.
        'case " $OTHER " in *" $last:$port "*) echo "32  198.19.1.99  0.012 ms"; exit 0;; esac',
        'echo "32  $last  0.012 ms"',
      ].join('\n'),
    );
    await tool('ping', 'exit 0');
    await tool('timeout', 'shift; exec "$@"');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // A TCP port's first try keeps nc's words in a scratch directory of the script's own (here under
  // the test's directory, to see it go); where none can be made (a read-only root), in a subshell.
  it.each([
    ['words kept in its scratch directory, removed at the end', 'scratch'],
    ['no scratch directory: in subshells', 'read-only'],
  ])(
    'tells connected, refused and filtered apart (%s); a refusal comes at once, also for "must reach"',
    async (_, how) => {
      const scratch = path.join(dir, `scratch-${how}`);
      const script = buildProbeScript(
        [
          { tag: 'open', mode: 'retry', kind: 'tcp', dest: '198.19.1.5', port: 80 },
          { tag: 'refused', mode: 'once', kind: 'tcp', dest: '198.19.1.5', port: 81 },
          { tag: 'refused-must', mode: 'retry', kind: 'tcp', dest: '198.19.1.5', port: 82 },
          { tag: 'dropped', mode: 'once', kind: 'tcp', dest: '198.19.1.6', port: 80 },
          { tag: 'lost', mode: 'once', kind: 'tcp', dest: '198.19.1.7', port: 80 },
          { tag: 'udp-closed', mode: 'once', kind: 'udp', dest: '198.19.1.5', port: 53 },
          { tag: 'udp-dropped', mode: 'retry', kind: 'udp', dest: '198.19.1.6', port: 4789 },
        ],
        { timeoutSeconds: 1, waitSeconds: 3 },
      );
      expect(script).toContain('SD=/tmp/.lab-probe.$$; mkdir -m 700 "$SD"');
      const text = script.replace(
        'SD=/tmp/.lab-probe.$$; mkdir -m 700 "$SD"',
        how === 'scratch' ? `SD=${scratch}; mkdir -m 700 "$SD"` : 'SD=/tmp/.lab-probe.$$; false',
      );
      const started = Date.now();
      const r = await run('sh', ['-c', text], {
        env: {
          PATH: `${dir}:/usr/bin:/bin`,
          LOG: '/dev/null',
          OPEN: '198.19.1.5:80',
          DROP: '198.19.1.6:80 198.19.1.6:4789',
          LOST: '198.19.1.7:80',
        },
      });
      expect(existsSync(scratch)).toBe(false);
      const out = parseProbeOutput(r.stdout);
      expect(out.done).toBe(true);
      expect(out.lines.get('open')).toMatchObject({ port: 'open', attempts: 1 });
      expect(out.lines.get('refused')).toMatchObject({ port: 'refused', attempts: 1 });
      expect(out.lines.get('refused-must')?.port).toBe('refused');
      expect(out.lines.get('dropped')?.port).toBe('silent');
      // No words, and well before its timeout: no evidence of a filter, an ERROR.
      expect(out.lines.get('lost')).toMatchObject({ status: 'error' });
      expect(out.lines.get('udp-closed')?.port).toBe('refused');
      expect(out.lines.get('udp-dropped')).toMatchObject({ port: 'silent', attempts: 1 });
      // A refusal is asked again for one second at most, never for the whole 3 s wait.
      expect(out.lines.get('refused-must')?.durationMs ?? 0).toBeLessThan(2000);
      expect(Date.now() - started).toBeLessThan(2900);
    },
  );

  it("another target's answer to a UDP probe is never taken as this port's: an ERROR in words", async () => {
    const script = buildProbeScript(
      [{ tag: 'u', mode: 'retry', kind: 'udp', dest: '198.19.1.7', port: 53 }],
      { timeoutSeconds: 1, waitSeconds: 3 },
    );
    const r = await run('sh', ['-c', script], {
      env: { PATH: `${dir}:/usr/bin:/bin`, LOG: '/dev/null', OTHER: '198.19.1.7:53' },
    });
    const line = parseProbeOutput(r.stdout).lines.get('u');
    expect(line).toMatchObject({ status: 'error', detail: expect.stringMatching(/another probe/) });
    expect(line?.attempts ?? 0).toBeGreaterThan(1); // asked again first
  });

  it('an image without nc: port probes are errors, never verdicts', async () => {
    const bare = await mkdtemp(path.join(os.tmpdir(), 'lab-bare-'));
    await writeFile(path.join(bare, 'ping'), '#!/bin/sh\nexit 0\n');
    await chmod(path.join(bare, 'ping'), 0o755);
    const script = buildProbeScript(
      [{ tag: 't', mode: 'once', kind: 'tcp', dest: '198.19.1.5', port: 80 }],
      { timeoutSeconds: 1, waitSeconds: 0 },
    );
    // Only sh's builtins and the stand-in ping: no nc, no traceroute, no timeout.
    const r = await run('/bin/sh', ['-c', script], { env: { PATH: bare } });
    await rm(bare, { recursive: true, force: true });
    const out = parseProbeOutput(r.stdout);
    expect(out.missing).toContain('nc');
    expect(out.lines.get('t')).toMatchObject({ status: 'error' });
  });
});

describe('/proc/net → listening ports', () => {
  const tcpHeader =
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
  const udpHeader = `${tcpHeader} ref pointer drops`;
  it('TCP LISTEN and unconnected UDP, beyond loopback; a wildcard covers one-address binds', () => {
    const text = [
      tcpHeader,
      '   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1',
      '   1: 0B00007F:8AE1 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2',
      '   2: 0501A8C6:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3',
      '   3: 0501A8C6:0050 0601A8C6:C350 01 00000000:00000000 00:00000000 00000000     0        0 4',
      tcpHeader,
      '   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 0 0 0 0 0 5',
      '   1: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 0 0 0 0 0 6',
      udpHeader,
      ' 100: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 7 2 0 0',
      ' 101: 0B00007F:A5D2 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 8 2 0 0',
    ].join('\n');
    expect(parseProcNet(text)).toEqual([
      { port: 80, protocol: 'tcp' },
      { port: 5432, protocol: 'tcp', address: '198.168.1.5' },
      { port: 53, protocol: 'udp' },
    ]);
  });
});

describe('port columns and cells', () => {
  function withPorts(): Topology {
    const t = bridges();
    const s1 = t.hosts[0]!;
    s1.containers[0] = { ...s1.containers[0]!, listening: [tcp(5432)] }; // c1 on br_a
    s1.containers[3] = {
      ...s1.containers[3]!,
      published: [{ port: 80, protocol: 'tcp', hostPort: 8080 }],
    }; // d1 on bridge
    return t;
  }

  it('one column per listening port per address, one per published port on its host', () => {
    const targets = portTargets(
      withPorts(),
      withPorts().hosts.flatMap((h) => h.containers),
      {
        listening: true,
        published: true,
      },
    );
    expect(targets.map((t) => [t.key, t.label])).toEqual([
      ['port:c1@server1/br_a:5432/tcp', 'c1 198.19.21.10:5432/tcp'],
      ['port:host:server1:8080/tcp', 'server1 198.18.0.1:8080/tcp (published by d1)'],
    ]);
    const only = portTargets(
      withPorts(),
      withPorts().hosts.flatMap((h) => h.containers),
      {
        listening: true,
        published: true,
        only: [tcp(8080)],
      },
    );
    expect(only.map((t) => t.key)).toEqual(['port:host:server1:8080/tcp']);
  });

  it('a port cell expects what its address cell expects, and says which port', () => {
    const m = buildMatrix(withPorts(), {
      names: false,
      ports: { listening: true, published: true },
    });
    const cell = (src: string, target: string) =>
      m.cells.find((c) => c.source === src && c.target === target);
    expect(cell('c2@server1', 'port:c1@server1/br_a:5432/tcp')).toMatchObject({ expect: 'reach' });
    expect(cell('c2@server1', 'port:c1@server1/br_a:5432/tcp')?.reason).toMatch(
      /^c1 listens on 5432\/tcp; /,
    );
    expect(cell('c3@server1', 'port:c1@server1/br_a:5432/tcp')?.expect).toBe('no-reach');
    expect(cell('c4@server2', 'port:host:server1:8080/tcp')).toMatchObject({ expect: 'reach' });
    expect(cell('c4@server2', 'port:host:server1:8080/tcp')?.reason).toMatch(
      /^d1 publishes 8080\/tcp on server1's address; /,
    );
    // None asked for: no port columns.
    expect(buildMatrix(withPorts(), { names: false }).targets.some((t) => t.port)).toBe(false);
  });
});

describe('path MTU: one full-size packet with "don\'t fragment"', () => {
  const reachedLine = (fullSize?: { bytes: number; passed: boolean }): ProbeLine => ({
    tag: '1',
    status: 'reached',
    exitCode: 0,
    attempts: 1,
    durationMs: 5,
    iface: 'eth0',
    ...(fullSize && { fullSize }),
  });

  it('reads the size and whether it got there', () => {
    const out = parseProbeOutput(
      '@@lab 1 0 1 - 10 eth0 1500:0\n@@lab 2 0 1 - 10 eth0 1500:1\n@@lab 3 0 1 - 10 eth0 -\n',
    );
    expect(out.lines.get('1')?.fullSize).toEqual({ bytes: 1500, passed: false });
    expect(out.lines.get('2')?.fullSize).toEqual({ bytes: 1500, passed: true });
    expect(out.lines.get('3')?.fullSize).toBeUndefined();
  });

  it('small packets pass, full-size ones do not: FAIL, in those words', () => {
    const line = reachedLine({ bytes: 1500, passed: false });
    expect(judge('reach', line)).toEqual({ outcome: 'fail', reached: true });
    expect(describeObservation(line, 'ip')).toMatch(
      /^small packets pass, 1500-byte packets do not: the path MTU is lower than the network's/,
    );
    expect(judge('reach', reachedLine({ bytes: 1500, passed: true }))).toEqual({
      outcome: 'pass',
      reached: true,
    });
    expect(describeObservation(reachedLine({ bytes: 1500, passed: true }), 'ip')).toMatch(
      /1500-byte packet .* got there too/,
    );
  });

  it('the script sends it only for a bound probe that reached and asks for it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-mtu-'));
    const log = path.join(dir, 'log');
    await writeFile(path.join(dir, 'ping'), '#!/bin/sh\nexit 0\n');
    await writeFile(path.join(dir, 'timeout'), '#!/bin/sh\nshift; exec "$@"\n');
    await writeFile(
      path.join(dir, 'traceroute'),
      [
        '#!/bin/sh',
        'echo "$*" >> "$LOG"',
        'for a; do prev=$last; last=$a; done',
        // A size after the address: full-size; none: the small datagram that checks the claim.
        'case "$last" in *.*) echo "32  $last  0.1 ms"; exit 0;; esac',
        'echo "traceroute to $prev"',
        'case " $BIG_CUT " in *" $prev "*) exit 143;; esac',
        'case " $BIG_DROP " in *" $prev "*) echo "32  *  *";; *) echo "32  $prev  0.1 ms  *";; esac',
      ].join('\n'),
    );
    for (const t of ['ping', 'timeout', 'traceroute']) await chmod(path.join(dir, t), 0o755);
    await writeFile(log, '');
    const script = buildProbeScript(
      [
        {
          tag: 'small-only',
          mode: 'retry',
          kind: 'ip',
          dest: '198.19.1.11',
          bindMac: '00:00:00:00:00:00',
          fullSize: true,
        },
        {
          tag: 'whole',
          mode: 'retry',
          kind: 'ip',
          dest: '198.19.1.12',
          bindMac: '00:00:00:00:00:00',
          fullSize: true,
        },
        {
          tag: 'not-asked',
          mode: 'retry',
          kind: 'ip',
          dest: '198.19.1.13',
          bindMac: '00:00:00:00:00:00',
        },
        {
          tag: 'cut-short',
          mode: 'retry',
          kind: 'ip',
          dest: '198.19.1.14',
          bindMac: '00:00:00:00:00:00',
          fullSize: true,
        },
      ],
      { timeoutSeconds: 1, waitSeconds: 0 },
    );
    const r = await run('sh', ['-c', script], {
      env: {
        PATH: `${dir}:/usr/bin:/bin`,
        LOG: log,
        BIG_DROP: '198.19.1.11',
        BIG_CUT: '198.19.1.14',
      },
    });
    const { readFile } = await import('node:fs/promises');
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    await rm(dir, { recursive: true, force: true });
    const out = parseProbeOutput(r.stdout);
    // lo's MTU on this machine is the size sent.
    const mtu = out.lines.get('small-only')?.fullSize?.bytes ?? 0;
    expect(mtu).toBeGreaterThan(0);
    expect(out.lines.get('small-only')?.fullSize).toEqual({ bytes: mtu, passed: false });
    expect(out.lines.get('whole')?.fullSize).toEqual({ bytes: mtu, passed: true });
    expect(out.lines.get('not-asked')?.fullSize).toBeUndefined();
    // traceroute cut short before its hop line: no claim either way.
    expect(out.lines.get('cut-short')).toMatchObject({ status: 'reached' });
    expect(out.lines.get('cut-short')?.fullSize).toBeUndefined();
    // One full-size try each (no wait), and for the claim one small datagram to the same port.
    expect(calls).toHaveLength(4);
    expect(calls[0]).toMatch(
      new RegExp(`^-F -i lo -n -q 2 -f 32 -m 32 -w 1 -p 334\\d\\d 198\\.19\\.1\\.1[124] ${mtu}$`),
    );
    expect(calls).toContain('-F -i lo -n -q 2 -f 32 -m 32 -w 1 -p 33434 198.19.1.11');
  });
});
