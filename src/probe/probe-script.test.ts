import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { buildProbeScript, parseProbeOutput, statusOfExit } from './probe-script.js';

const run = promisify(execFile);

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
        'echo "$*" >> "$LOG"; [ -n "$PINGMAX" ] && [ $(wc -l < "$LOG") -gt $PINGMAX ] && exit 1; for a; do last=$a; done; case " $REACH " in *" $last "*) exit 0;; esac; exit 1',
      );
      await tool('nslookup', 'case " $NAMES " in *" $1 "*) exit 0;; esac; exit 1');
      await tool('timeout', 'shift; exec "$@"');
      // Full-size packets: the first $BIGFAILS tries get no answer, later ones get there.
      await tool(
        'traceroute',
        'n=$(cat "$LOG.tr" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$LOG.tr"; if [ $n -le "${BIGFAILS:-0}" ]; then echo "32  * *"; else echo "32  198.19.1.11  0.100 ms"; fi',
      );
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    async function runScript(script: string, env: Record<string, string> = {}) {
      const log = path.join(dir, `log-${Math.random()}`);
      await writeFile(log, '');
      const r = await run('sh', ['-c', script], {
        env: {
          PATH: `${dir}:/usr/bin:/bin`,
          REACH: '198.19.1.11 vm5',
          NAMES: 'vm5',
          LOG: log,
          ...env,
        },
      });
      const { readFile } = await import('node:fs/promises');
      return {
        out: parseProbeOutput(r.stdout),
        pings: (await readFile(log, 'utf8')).trim().split('\n'),
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

    it('claims a lower path MTU only when full-size never passed and small packets still do', async () => {
      const { out } = await runScript(big, { BIGFAILS: '99' });
      expect(out.lines.get('m')).toMatchObject({
        status: 'reached',
        fullSize: { bytes: 65536, passed: false },
      });
      // Small packets stopped passing too: the path is flaky, not too narrow; nothing is claimed.
      const flaky = await runScript(big, { BIGFAILS: '99', PINGMAX: '1' });
      expect(flaky.out.lines.get('m')?.status).toBe('reached');
      expect(flaky.out.lines.get('m')?.fullSize).toBeUndefined();
    });
  });
});
