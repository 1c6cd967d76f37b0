import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import {
  buildProbeScript,
  LOOKUP_TRIES,
  parseProbeOutput,
  shareFullSize,
  statusOfExit,
  type ProbeSpec,
} from './probe-script.js';

const run = promisify(execFile);

/** The script with its scratch directory at `dir`, or (undefined) none to be made (a read-only root). */
function withScratch(script: string, dir: string | undefined): string {
  const made = 'SD=/tmp/.lab-probe.$$; mkdir -m 700 "$SD"';
  expect(script).toContain(made);
  return script.replace(
    made,
    dir ? `SD=${dir}; mkdir -m 700 "$SD"` : 'SD=/tmp/.lab-probe.$$; false',
  );
}

describe('parseProbeOutput', () => {
  it('reads one line per probe; the exit status alone gives the verdict', () => {
    const out = parseProbeOutput(
      [
        'noise from a tool',
        '@@lab 1 0 1 - 20 eth0',
        '@@lab 2 1 3 - 2010 eth1',
        '@@lab 3 1 1 0 1000 -',
        '@@lab 4 noif 0 - 0 -',
        '@@lab 5 127 1 - 0 eth0',
        '@@lab 6 143 1 1 2000 -',
        '@@lab 7 1 3 t 5200 -',
        '@@lab-done',
      ].join('\n'),
    );
    expect(out.done).toBe(true);
    expect(out.missing).toEqual([]);
    expect(out.lines.get('1')).toEqual({
      tag: '1',
      status: 'reached',
      exitCode: 0,
      attempts: 1,
      durationMs: 20,
      iface: 'eth0',
    });
    expect(out.lines.get('2')).toMatchObject({ status: 'not-reached', attempts: 3, iface: 'eth1' });
    expect(out.lines.get('3')).toMatchObject({ status: 'not-reached', resolved: false });
    expect(out.lines.get('3')?.iface).toBeUndefined();
    expect(out.lines.get('4')).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/interface/),
    });
    expect(out.lines.get('5')).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/could not be started/),
    });
    expect(out.lines.get('6')).toMatchObject({ status: 'not-reached', resolved: true });
    expect(out.lines.get('7')).toMatchObject({
      status: 'error',
      attempts: 3,
      detail: expect.stringMatching(/^the name lookup got no answer \(3 tries in 5200 ms\)/),
    });
    expect(out.lines.get('7')?.resolved).toBeUndefined();
  });

  it('notices missing tools and a script cut short', () => {
    const out = parseProbeOutput('@@lab-missing ping\n@@lab-missing nslookup\n');
    expect(out).toMatchObject({ missing: ['ping', 'nslookup'], done: false });
    expect(out.lines.size).toBe(0);
  });

  it('maps exit statuses', () => {
    expect([0, 1, 2, 124, 126, 127, 137, 143, 255].map(statusOfExit)).toEqual([
      'reached',
      'not-reached',
      'not-reached',
      'not-reached',
      'error',
      'error',
      'not-reached',
      'not-reached',
      'error',
    ]);
  });
});

describe('buildProbeScript', () => {
  it('refuses anything but addresses, MACs, names and tags', () => {
    const timing = { timeoutSeconds: 1, waitSeconds: 0 };
    expect(() =>
      buildProbeScript([{ tag: '1', mode: 'once', kind: 'ip', dest: '$(reboot)' }], timing),
    ).toThrow(LabError);
    expect(() =>
      buildProbeScript(
        [{ tag: '1', mode: 'once', kind: 'ip', dest: '198.19.1.1', bindMac: 'a b' }],
        timing,
      ),
    ).toThrow(LabError);
  });

  // The script itself, run by the local sh with stand-in tools: ping answers for the addresses in
  // $REACH, nslookup knows the names in $NAMES, every ping's arguments are logged.
  describe('run by sh', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'lab-probe-'));
      const tool = async (name: string, body: string) => {
        await writeFile(path.join(dir, name), `#!/bin/sh\n${body}\n`);
        await chmod(path.join(dir, name), 0o755);
      };
      await tool(
        'ping',
        'echo "$*" >> "$LOG"; [ -n "$PINGSLOW" ] && [ ! -e "$LOG.slow" ] && { : > "$LOG.slow"; sleep 1.5; exit 1; }; [ -n "$PINGMAX" ] && [ $(wc -l < "$LOG") -gt $PINGMAX ] && exit 1; for a; do last=$a; done; case " $REACH " in *" $last "*) exit 0;; esac; exit 1',
      );
      // As busybox's nslookup prints: an answer ($NAMES, at 198.19.1.15), no answer at all
      // ($SILENT; the first $LATE lookups of any name), a lookup cut by timeout ($CUT: timeout's
      // 143), else NXDOMAIN.
      await tool(
        'nslookup',
        [
          // Asked for its usage: busybox's own nslookup names -type= ($OLDNS: an older one does not).
          'if [ $# = 0 ]; then [ -n "$OLDNS" ] && echo "Usage: nslookup HOST" || echo "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]"; exit 1; fi',
          'while case "$1" in -*) true;; *) false;; esac; do echo "$1" >> "$LOG.nsopts"; shift; done',
          'echo "$1" >> "$LOG.ns"; n=$(wc -l < "$LOG.ns")',
          'if [ $n -le "${LATE:-0}" ]; then echo ";; connection timed out; no servers could be reached"; exit 1; fi',
          'case " $CUT " in *" $1 "*) exit 143;; esac',
          'case " $NODNS " in *" $1 "*) echo "nslookup: read: Connection refused"; exit 143;; esac',
          'case " $SILENT " in *" $1 "*) echo ";; connection timed out; no servers could be reached"; exit 1;; esac',
          'printf "Server:\\t\\t127.0.0.11\\nAddress:\\t127.0.0.11:53\\n\\n"',
          'case " $NAMES " in *" $1 "*) printf "Non-authoritative answer:\\nName:\\t%s\\nAddress: 198.19.1.15\\n\\n" "$1"; exit 0;; esac',
          'echo "** server can\'t find $1: NXDOMAIN"; exit 1',
        ].join('\n'),
      );
      await tool('timeout', 'echo "$*" >> "$LOG.timeout"; shift; exec "$@"');
      // Full-size packets (a size after the address): the first $BIGFAILS tries get no answer,
      // later ones get there. Small ones (no size) get no answer with $SMALLFAILS. The answer comes
      // from the destination, or from $FROM (another probe's target: traceroute's own mix-up).
      await tool(
        'traceroute',
        [
          'echo "$*" >> "$LOG.args"; for a; do prev=$last; last=$a; done',
          'case "$last" in *.*) dest=$last; small=1;; *) dest=$prev; small=0;; esac',
          'if [ $small = 1 ]; then [ -n "$SMALLFAILS" ] && { echo "32  * *"; exit 0; }; echo "32  ${FROM:-$dest}  0.100 ms"; exit 0; fi',
          'n=$(cat "$LOG.tr" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$LOG.tr"',
          'if [ $n -le "${BIGFAILS:-0}" ]; then echo "32  * *"; else echo "32  ${FROM:-$dest}  0.100 ms"; fi',
        ].join('\n'),
      );
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    async function runScript(script: string, env: Record<string, string> = {}) {
      const log = path.join(dir, `log-${Math.random()}`);
      await writeFile(log, '');
      const r = await run('sh', ['-c', script], {
        env: {
          PATH: `${dir}:/usr/bin:/bin`,
          REACH: '198.19.1.11 198.19.1.15',
          NAMES: 'vm5',
          LOG: log,
          ...env,
        },
      });
      const { readFile } = await import('node:fs/promises');
      return {
        out: parseProbeOutput(r.stdout),
        pings: (await readFile(log, 'utf8')).trim().split('\n'),
        traceroutes: (await readFile(`${log}.args`, 'utf8').catch(() => '')).trim().split('\n'),
        nslookupOptions: (await readFile(`${log}.nsopts`, 'utf8').catch(() => '')).trim(),
        lookups: (await readFile(`${log}.ns`, 'utf8').catch(() => '')).trim().split('\n'),
        timeouts: (await readFile(`${log}.timeout`, 'utf8').catch(() => '')).trim(),
      };
    }

    it('probes all at once, binds the interface found by MAC, retries only "must reach"', async () => {
      const { out, pings } = await runScript(
        buildProbeScript(
          [
            {
              tag: 'a',
              mode: 'retry',
              kind: 'ip',
              dest: '198.19.1.11',
              bindMac: '00:00:00:00:00:00',
            },
            {
              tag: 'b',
              mode: 'once',
              kind: 'ip',
              dest: '198.19.1.1',
              bindMac: '00:00:00:00:00:00',
            },
            { tag: 'c', mode: 'retry', kind: 'ip', dest: '198.19.2.10' },
            {
              tag: 'd',
              mode: 'once',
              kind: 'ip',
              dest: '198.19.1.12',
              bindMac: '02:00:00:00:00:99',
            },
            { tag: 'e', mode: 'retry', kind: 'name', dest: 'vm5' },
            { tag: 'f', mode: 'once', kind: 'name', dest: 'vm6' },
          ],
          { timeoutSeconds: 1, waitSeconds: 1 },
        ),
      );
      expect(out.done).toBe(true);
      expect(out.lines.get('a')).toMatchObject({ status: 'reached', attempts: 1, iface: 'lo' });
      expect(out.lines.get('b')).toMatchObject({ status: 'not-reached', attempts: 1, iface: 'lo' });
      // "Must reach" and not reached: tried again until the wait ran out.
      expect(out.lines.get('c')?.status).toBe('not-reached');
      expect(out.lines.get('c')?.attempts).toBeGreaterThan(1);
      expect(out.lines.get('d')).toMatchObject({ status: 'error' });
      expect(out.lines.get('e')).toMatchObject({ status: 'reached', resolved: true });
      expect(out.lines.get('f')).toMatchObject({ status: 'not-reached', resolved: false });
      expect(pings).toContain('-c 1 -W 1 -I lo 198.19.1.11');
      expect(pings).toContain('-c 1 -W 1 198.19.2.10');
      expect(pings.some((p) => p.endsWith('vm6'))).toBe(false); // not resolved: not pinged
    });
    // Found on the box (check bench, 2x8): ~240 lookups at once, some cut by their own timeout,
    // came out as "the name did not resolve" and failed cells whose names do resolve.
    // A name's first try (its lookup, then the ping) is started by the script's own shell, the
    // lookup's words kept in a scratch directory (here under the test's directory, to see it go);
    // where none can be made (a read-only root), the probe runs in a subshell: the same outcomes.
    it.each([
      ['words kept in its scratch directory, removed at the end', 'scratch'],
      ['no scratch directory: in subshells', 'read-only'],
    ])(
      'takes only an answer as "does not resolve"; a lookup without one is asked again, then an error (%s)',
      async (_, how) => {
        const scratch = path.join(dir, `scratch-${how}-${Math.random()}`);
        const names = (mode: 'retry' | 'once', waitSeconds: number) =>
          withScratch(
            buildProbeScript(
              ['vm5', 'vm6', 'vm7', 'vm8'].map((dest) => ({ tag: dest, mode, kind: 'name', dest })),
              { timeoutSeconds: 1, waitSeconds },
            ),
            how === 'scratch' ? scratch : undefined,
          );
        const { out, pings } = await runScript(names('once', 1), { SILENT: 'vm7', CUT: 'vm8' });
        // Resolved: pinged at the address the lookup gave, not looked up a second time by ping.
        expect(out.lines.get('vm5')).toMatchObject({ status: 'reached', resolved: true });
        expect(pings).toContain('-c 1 -W 1 198.19.1.15');
        // NXDOMAIN is an answer: once is enough.
        expect(out.lines.get('vm6')).toMatchObject({
          status: 'not-reached',
          resolved: false,
          attempts: 1,
        });
        // No answer (nslookup's own words, or cut by timeout): asked again until the wait ran out,
        // even though the cell must not reach; then an error that says so, never "does not resolve".
        for (const tag of ['vm7', 'vm8']) {
          const line = out.lines.get(tag);
          expect(line?.status).toBe('error');
          expect(line?.resolved).toBeUndefined();
          expect(line?.attempts).toBeGreaterThan(1);
          expect(line?.detail).toMatch(/no answer.*could not be told/);
        }
        // No DNS server at the resolver's address (Docker's default bridge, an upstream that serves
        // none): the refusal is an answer, even when the lookup is cut after it.
        const refused = await runScript(names('once', 1), { NODNS: 'vm6' });
        expect(refused.out.lines.get('vm6')).toMatchObject({
          status: 'not-reached',
          resolved: false,
          attempts: 1,
        });
        // A lookup that goes unanswered at first and is answered later: the name resolves.
        const late = await runScript(names('retry', 2), { LATE: '4' });
        expect(late.out.lines.get('vm5')).toMatchObject({ status: 'reached', resolved: true });
        expect(late.out.lines.get('vm5')?.attempts).toBeGreaterThan(1);
        // With no wait at all, an unanswered lookup is still asked LOOKUP_TRIES times, then an error.
        const once = await runScript(names('once', 0), { SILENT: 'vm5' });
        expect(once.out.lines.get('vm5')).toMatchObject({
          status: 'error',
          attempts: LOOKUP_TRIES,
        });
        const one = buildProbeScript([{ tag: 'v', mode: 'once', kind: 'name', dest: 'vm5' }], {
          timeoutSeconds: 1,
          waitSeconds: 0,
        });
        const cut = await runScript(withScratch(one, how === 'scratch' ? scratch : undefined), {
          LATE: '2',
        });
        expect(cut.out.lines.get('v')).toMatchObject({ status: 'reached', attempts: 3 });
        // Every name looked up as many times as before: once for an answer, no lookup by ping.
        const plain = await runScript(names('once', 1));
        expect(plain.lookups.filter((n) => n === 'vm6')).toEqual(['vm6']);
        expect(plain.pings).toEqual(['-c 1 -W 1 198.19.1.15']);
        expect(existsSync(scratch)).toBe(false);
      },
      20_000,
    );

    // busybox timeout leaves its watcher as a zombie of the container's PID 1 (found on the box:
    // ~100 per check in every source container running `sleep`), so the probes do without it
    // wherever the tool bounds its own wait.
    it('bounds lookups and traceroutes without timeout where busybox can', async () => {
      const specs: ProbeSpec[] = [
        { tag: 'n', mode: 'once', kind: 'name', dest: 'vm5' },
        { tag: 'u', mode: 'once', kind: 'udp', dest: '198.19.1.11', port: 53 },
        { tag: 'b', mode: 'retry', kind: 'ip', dest: '198.19.1.11', bindMac: '00:00:00:00:00:00' },
      ];
      const script = buildProbeScript(
        specs.map((s) => (s.tag === 'b' ? { ...s, fullSize: true, path: 'h/n' } : s)),
        { timeoutSeconds: 1, waitSeconds: 0 },
      );
      const own = await runScript(script);
      expect(own.out.lines.get('n')).toMatchObject({ status: 'reached', resolved: true });
      expect(own.nslookupOptions.split('\n')).toEqual(['-timeout=1', '-retry=1']);
      expect(own.timeouts).toBe('');
      // An nslookup without its own bound is still cut after T seconds.
      const old = await runScript(script, { OLDNS: '1' });
      expect(old.out.lines.get('n')).toMatchObject({ status: 'reached', resolved: true });
      expect(old.nslookupOptions).toBe('');
      expect(old.timeouts).toBe('1 nslookup vm5');
      // Without name probes, nslookup is not even asked for its usage.
      const noNames = await runScript(
        buildProbeScript(specs.slice(1), { timeoutSeconds: 1, waitSeconds: 0 }),
      );
      expect(noNames.nslookupOptions).toBe('');
    }, 15_000);

    // Found by the ports bench at load ~100: must-reach cells failed after one late try.
    it('gives a "must reach" probe whose first try outlasted the wait a second try', async () => {
      const one = (waitSeconds: number) =>
        buildProbeScript([{ tag: 'r', mode: 'retry', kind: 'ip', dest: '198.19.1.11' }], {
          timeoutSeconds: 1,
          waitSeconds,
        });
      const late = await runScript(one(1), { PINGSLOW: '1' });
      expect(late.out.lines.get('r')).toMatchObject({ status: 'reached', attempts: 2 });
      // --wait 0 is "try once", and stays so.
      const once = await runScript(one(0), { PINGSLOW: '1' });
      expect(once.out.lines.get('r')).toMatchObject({ status: 'not-reached', attempts: 1 });
    });

    // Path MTU under load: a full-size answer later than the timeout is not a lower MTU.
    const big = buildProbeScript(
      [
        {
          tag: 'm',
          mode: 'retry',
          kind: 'ip',
          dest: '198.19.1.11',
          bindMac: '00:00:00:00:00:00',
          fullSize: true,
        },
      ],
      { timeoutSeconds: 1, waitSeconds: 2 },
    );

    it('tries full-size packets again until the wait runs out, as the small ping', async () => {
      const { out } = await runScript(big, { BIGFAILS: '2' });
      expect(out.lines.get('m')?.fullSize).toEqual({ bytes: 65536, passed: true });
    });

    it('claims a lower path MTU only when full-size never passed and a small datagram does', async () => {
      const { out } = await runScript(big, { BIGFAILS: '99' });
      expect(out.lines.get('m')).toMatchObject({
        status: 'reached',
        fullSize: { bytes: 65536, passed: false },
      });
      // Small datagrams get no answer either: UDP or its ICMP errors are held back, which says
      // nothing about the MTU; the cell says it could not tell, and claims nothing.
      const silent = await runScript(big, { BIGFAILS: '99', SMALLFAILS: '1' });
      expect(silent.out.lines.get('m')).toMatchObject({
        status: 'reached',
        fullSize: { bytes: 65536 },
      });
      expect(silent.out.lines.get('m')?.fullSize?.passed).toBeUndefined();
    });

    // Found on the box (check bench, 2x8): ~34 full-size traceroutes at once per source made each
    // cross-host cell take ~6 s; one alone answers at once. Path MTU is the path's.
    it('sends full-size packets once per path; the other targets on it carry that result', async () => {
      const spec = (tag: string, dest: string, path: string) => ({
        tag,
        mode: 'retry' as const,
        kind: 'ip' as const,
        dest,
        bindMac: '00:00:00:00:00:00',
        fullSize: true,
        path,
      });
      const specs = [
        spec('x', '198.19.1.11', 'server2/net1'),
        spec('y', '198.19.1.13', 'server2/net1'),
        spec('z', '198.19.1.14', 'server3/net1'),
      ];
      const script = buildProbeScript(specs, { timeoutSeconds: 1, waitSeconds: 1 });
      const { out, traceroutes } = await runScript(script, {
        REACH: '198.19.1.11 198.19.1.13 198.19.1.14',
      });
      const sent = traceroutes.filter((a) => a.includes('-F')).map((a) => a.split(' ').at(-2));
      expect(new Set(sent)).toEqual(new Set(['198.19.1.11', '198.19.1.14']));
      shareFullSize(specs, out.lines);
      expect(out.lines.get('x')?.fullSize).toEqual({ bytes: 65536, passed: true });
      expect(out.lines.get('y')?.fullSize).toEqual({
        bytes: 65536,
        passed: true,
        towards: '198.19.1.11',
      });
      expect(out.lines.get('z')?.fullSize).toEqual({ bytes: 65536, passed: true });
      // A target that did not reach carries no claim about full-size packets.
      const down = await runScript(script, { REACH: '198.19.1.11 198.19.1.14' });
      shareFullSize(specs, down.out.lines);
      expect(down.out.lines.get('y')).toMatchObject({ status: 'not-reached' });
      expect(down.out.lines.get('y')?.fullSize).toBeUndefined();
    });

    // Found on the box (check bench, 2x8 on macvlan): the full-size probes of one source all ran
    // with traceroute's default port, and busybox traceroute knows its answers by port alone, so
    // one probe took another target's answer: 11 false "path MTU is lower" FAILs per check, each
    // waiting out the whole wait.
    it("never takes another target's answer for its own: no claim, and its own port", async () => {
      const crossed = await runScript(big, { FROM: '198.19.1.16' });
      expect(crossed.out.lines.get('m')?.status).toBe('reached');
      expect(crossed.out.lines.get('m')?.fullSize?.passed).toBeUndefined();
      const two = buildProbeScript(
        [
          { tag: 'u', mode: 'once', kind: 'udp', dest: '198.19.1.12', port: 33437 },
          ...['198.19.1.11', '198.19.1.13'].map((dest, i) => ({
            tag: `m${i}`,
            mode: 'retry' as const,
            kind: 'ip' as const,
            dest,
            bindMac: '00:00:00:00:00:00',
            fullSize: true,
          })),
        ],
        { timeoutSeconds: 1, waitSeconds: 1 },
      );
      const { out, traceroutes } = await runScript(two, { REACH: '198.19.1.11 198.19.1.13' });
      expect(out.lines.get('m0')?.fullSize).toEqual({ bytes: 65536, passed: true });
      expect(out.lines.get('m1')?.fullSize).toEqual({ bytes: 65536, passed: true });
      const ports = traceroutes
        .filter((a) => a.includes('-F'))
        .map((a) => /-p (\d+) (\S+)/.exec(a)?.slice(1).join(' '));
      // 33434 (ports 33435-33436), then 33436 would use the probed UDP port 33437: 33438.
      expect(new Set(ports)).toEqual(new Set(['33434 198.19.1.11', '33438 198.19.1.13']));
    });
  });

  // The probe image's own shell: busybox ash, with real busybox ping, in a network namespace of its
  // own (only loopback, so no packet leaves it): 198.18.255.0/24 is routed into lo, where nobody
  // owns it, so a ping there gets no reply and waits out its timeout; 127.0.0.1 answers at once.
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((f) => existsSync(f));
  const canUnshare = process.getuid?.() === 0 && existsSync('/usr/bin/unshare');
  describe.runIf(busybox !== undefined && canUnshare)('run by busybox sh', () => {
    const script = buildProbeScript(
      [
        { tag: 'slow', mode: 'once', kind: 'ip', dest: '198.18.255.1' },
        { tag: 'fast', mode: 'once', kind: 'ip', dest: '127.0.0.1' },
        { tag: 'again', mode: 'retry', kind: 'ip', dest: '198.18.255.2' },
        { tag: 'here', mode: 'retry', kind: 'ip', dest: '127.0.0.1' },
        // Names (a stand-in nslookup, as busybox's prints): one that answers at loopback, one at
        // the silent address, one that does not exist.
        { tag: 'name-here', mode: 'retry', kind: 'name', dest: 'here.lab' },
        { tag: 'name-far', mode: 'once', kind: 'name', dest: 'far.lab' },
        { tag: 'name-gone', mode: 'once', kind: 'name', dest: 'gone.lab' },
      ],
      { timeoutSeconds: 1, waitSeconds: 2 },
    );
    let tools = '';
    beforeAll(async () => {
      tools = await mkdtemp(path.join(os.tmpdir(), 'lab-probe-ns-'));
      await writeFile(
        path.join(tools, 'nslookup'),
        [
          '#!/bin/sh',
          '[ $# = 0 ] && { echo "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]"; exit 1; }',
          'for a; do name=$a; done',
          'printf "Server:\\t\\t127.0.0.11\\nAddress:\\t127.0.0.11:53\\n\\n"',
          'case $name in here.lab) at=127.0.0.1;; far.lab) at=198.18.255.3;; *) echo "** server can\'t find $name: NXDOMAIN"; exit 1;; esac',
          'printf "Non-authoritative answer:\\nName:\\t%s\\nAddress: %s\\n\\n" "$name" "$at"',
        ].join('\n'),
        { mode: 0o755 },
      );
    });
    afterAll(() => rm(tools, { recursive: true, force: true }));
    // busybox sh runs its own applets before PATH: the stand-in is named by its path.
    const inNetns = (text: string) => {
      const own = 'NSL="nslookup -timeout=$T -retry=1"';
      expect(text).toContain(own);
      return run('unshare', [
        '-n',
        busybox as string,
        'sh',
        '-c',
        `ip link set lo up && ip route add 198.18.255.0/24 dev lo || exit 9\n${text.replace(own, `NSL="${tools}/nslookup -timeout=$T -retry=1"`)}`,
      ]);
    };
    // As written; and with the shell busy (a foreground sleep, which reaps every ended child) when
    // the quick tries end, before it collects: what made busybox's `wait -n` wait out the slow try
    // (the CI run of d75a728: 'fast' reported after 1020 ms), and mark the quick ones waited.
    it.each([
      ['as written', script],
      ['with the shell busy when they end', script.replace(/^collect$/m, 'sleep 0.3; collect')],
    ])(
      '%s: starts first tries itself, times each by its own end, retries in a subshell',
      async (_, text) => {
        expect(text).toContain('collect');
        const r = await inNetns(text);
        const out = parseProbeOutput(r.stdout);
        expect(out.done).toBe(true);
        expect(out.lines.get('slow')).toMatchObject({ status: 'not-reached', attempts: 1 });
        expect(out.lines.get('slow')?.durationMs).toBeGreaterThanOrEqual(900);
        // Started after the slow one, reported by its own end, not after the slow one's.
        expect(out.lines.get('fast')).toMatchObject({ status: 'reached', attempts: 1 });
        expect(out.lines.get('fast')?.durationMs).toBeLessThan(500);
        // Its status kept: a reply on the first try, not a lost status taken for "no reply".
        expect(out.lines.get('here')).toMatchObject({ status: 'reached', attempts: 1 });
        // "Must reach" without a reply: tried again until the 2 s wait ran out.
        expect(out.lines.get('again')?.status).toBe('not-reached');
        expect(out.lines.get('again')?.attempts).toBeGreaterThanOrEqual(2);
        expect(out.lines.get('again')?.durationMs).toBeGreaterThanOrEqual(2000);
        // A name: its lookup, then a ping at the address it gave, both started by the shell; the
        // ping's status kept across the two (a reply is not lost, no reply is not a reply).
        expect(out.lines.get('name-here')).toMatchObject({
          status: 'reached',
          resolved: true,
          attempts: 1,
        });
        expect(out.lines.get('name-far')).toMatchObject({
          status: 'not-reached',
          resolved: true,
          attempts: 1,
        });
        expect(out.lines.get('name-far')?.durationMs).toBeGreaterThanOrEqual(900);
        expect(out.lines.get('name-gone')).toMatchObject({
          status: 'not-reached',
          resolved: false,
          attempts: 1,
        });
      },
      15_000,
    );
  });
});
