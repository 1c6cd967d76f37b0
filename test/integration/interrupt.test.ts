import { createServer, type AddressInfo, type Socket } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDockerClient } from '../../src/docker/connect-docker.js';
import type { DockerClient } from '../../src/docker/docker-client.js';
import { boxHosts, type BoxHosts } from './box-hosts.js';
import { afterCtrlC, lateAfterCtrlC, SAW_CTRL_C, spawnLab, type AfterCtrlC } from './cli.js';

const timings: string[] = [];
/** A run's own last line: it had ended. */
const VERDICT = /^(PASS|FAIL|ERROR|DIFFERS FROM THE SEED): macvlan-two-nic — /m;

interface Finished extends AfterCtrlC {
  code: number;
  /** Ended by the SIGINT before lab's first line ran (exitAsShellSees): nothing said or done. */
  startup: boolean;
  /** What lab had written to stdout when the SIGINT was sent. */
  stdoutAtSigint: string;
  stdout: string;
  stderr: string;
  lastLine: string;
}

/** lab ended within 1 s of the Ctrl-C (lateAfterCtrlC); the times go to the file's summary. */
function expectEndedWithinASecond(r: Finished, timing: string) {
  timings.push(
    `${timing}: ${r.afterSignalMs} ms after the SIGINT, ${r.afterSeenMs} ms after lab saw it (load ${os.loadavg()[0]?.toFixed(1)}), exit ${r.code}`,
  );
  expect(lateAfterCtrlC(r)).toBeUndefined();
}

/**
 * Runs bin/lab.js as a user would (output to a pipe: plain lines), sends one SIGINT when `when`
 * first holds for the output so far, or after `afterMs`, and waits for it to exit.
 */
async function labInterrupted(
  args: string[],
  when: { output?: (stdout: string) => boolean; afterMs?: number },
): Promise<Finished> {
  let sigintAt = 0;
  let stdoutAtSigint = '';
  let seenAt = 0;
  const run = spawnLab(args, {
    stdout: (all) => {
      if (when.output?.(all)) interrupt();
    },
    stderr: (all) => {
      if (!seenAt && all.includes(SAW_CTRL_C)) seenAt = Date.now();
    },
  });
  function interrupt(): void {
    if (sigintAt) return;
    sigintAt = Date.now();
    stdoutAtSigint = run.out.stdout;
    run.child.kill('SIGINT');
  }
  if (when.afterMs !== undefined) setTimeout(interrupt, when.afterMs);
  const exit = await run.exited;
  const { stdout, stderr } = run.out;
  return {
    ...exit,
    stdoutAtSigint,
    stdout,
    stderr,
    ...afterCtrlC(sigintAt, seenAt),
    lastLine: stdout.trimEnd().split('\n').at(-1) ?? '',
  };
}

/** Runs a command line lab printed ("lab down …") with bin/lab.js. */
function runPrinted(command: string): Promise<Finished> {
  const [, ...args] = command.split(' ');
  return labInterrupted(args, {});
}

describe('Ctrl-C on lab run / lab down (the box, bin/lab.js)', () => {
  let box: BoxHosts;
  let inventory: string;
  let dir: string;
  const engines: DockerClient[] = [];

  beforeAll(async () => {
    box = await boxHosts();
    inventory = box.state.inventory;
    dir = await mkdtemp(path.join(os.tmpdir(), 'lab-interrupt-'));
    for (const [i, socket] of box.localDockerSockets.entries()) {
      engines.push(await createLocalDockerClient(socket, box.state.hosts[i]!.name));
    }
  });
  afterAll(async () => {
    await labInterrupted(['down', 'macvlan-two-nic', '-i', inventory], {});
    await Promise.all(engines.map((e) => e.close()));
    await rm(dir, { recursive: true, force: true });
    process.stderr.write(`SIGINT → exit:\n  ${timings.join('\n  ')}\n`);
  });

  async function labelled(): Promise<string[]> {
    const found: string[] = [];
    for (const e of engines) {
      const labels = { 'lab.managed': 'true' };
      found.push(...(await e.listContainers({ labels })).map((c) => `container ${c.name}`));
      found.push(...(await e.listNetworks({ labels })).map((n) => `network ${n.name}`));
      found.push(...(await e.listVolumes({ labels })).map((v) => `volume ${v.name}`));
    }
    return found;
  }

  /** The printed `lab down` works as written and leaves nothing labelled. */
  async function downAsPrinted(lastLine: string) {
    const command = /remove it with: (lab down .*)$/.exec(lastLine)?.[1];
    expect(command).toBe(`lab down macvlan-two-nic -i ${inventory}`);
    const down = await runPrinted(command as string);
    expect(down.code).toBe(0);
    expect(await labelled()).toEqual([]);
  }

  it('during the SSH handshake (a host that does not answer), also with the longest --timeout', async () => {
    // server2 at a loopback port that takes the TCP connection and never says a word: its SSH
    // handshake hangs for as long as lab waits. (An unused address on the box's LAN does not:
    // its connect fails with "No route to host" after 3 s, and a loaded machine got there first.)
    const held: Socket[] = [];
    const tarpit = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
    const port = (tarpit.address() as AddressInfo).port;
    const text = (await readFile(inventory, 'utf8')).replace(
      'server2 ansible_host=198.18.0.2',
      `server2 ansible_host=127.0.0.1 ansible_port=${port}`,
    );
    const silent = path.join(dir, 'silent.ini');
    await writeFile(silent, text);
    try {
      // --timeout 0 is refused as bad input (it never meant "no limit"); a day is the longest there is,
      // so the Ctrl-C, not a timeout, is what must end the handshake.
      for (const extra of [[], ['--timeout', '86400']]) {
        // server1 is ready: server2's handshake is the one left running.
        const r = await labInterrupted(['run', 'macvlan-two-nic', '-i', silent, ...extra], {
          output: (out) => /^server1 +ready/m.test(out),
        });
        expect(r.code, r.stdout + r.stderr).toBe(130);
        expectEndedWithinASecond(r, `handshake ${extra.join(' ')}`);
        expect(r.lastLine).toBe(
          'INTERRUPTED: macvlan-two-nic — stopped during the connections and checks before any change; nothing was changed on any host',
        );
        expect(r.stdout).not.toMatch(/host failed|PASS/);
      }
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => tarpit.close(resolve));
    }
    expect(await labelled()).toEqual([]);
  });

  it('during the steps: INTERRUPTED, what changed per host, a lab down that works as printed', async () => {
    const r = await labInterrupted(['run', 'macvlan-two-nic', '-i', inventory], {
      output: (out) => /NIC eth\d|network mac_net/.test(out),
    });
    expect(r.code).toBe(130);
    expectEndedWithinASecond(r, 'steps');
    // Steps are quick: the last of them may have finished within the grace.
    expect(r.lastLine).toMatch(
      /^INTERRUPTED: macvlan-two-nic — stopped during the (steps|checks); what was made stays, remove it with: /,
    );
    expect(r.stdout).toContain('What this run changed (lab down removes it):');
    expect(r.stdout).toMatch(/^ {2}server1: .*NIC eth0 changed/m);
    expect(r.stdout).not.toMatch(/PASS|host failed/);
    await downAsPrinted(r.lastLine);
  });

  it('during the checks', async () => {
    const r = await labInterrupted(['run', 'macvlan-two-nic', '-i', inventory], {
      output: (out) => (out.match(/container vm\d: /g) ?? []).length === 4,
    });
    // A test process starved by a loaded machine may read the output only once lab has written
    // its verdict: the Ctrl-C then came after the end, and the verdict's exit code stands.
    if (VERDICT.test(r.stdoutAtSigint)) {
      timings.push(`checks: the SIGINT came after the verdict (${r.lastLine}), exit ${r.code}`);
      expect(r.lastLine).toMatch(VERDICT);
      expect(r.code).toBe(
        r.lastLine.startsWith('PASS') ? 0 : r.lastLine.startsWith('FAIL') ? 1 : 3,
      );
      await labInterrupted(['down', 'macvlan-two-nic', '-i', inventory], {});
      return;
    }
    expect(r.code).toBe(130);
    expectEndedWithinASecond(r, 'checks');
    expect(r.lastLine).toMatch(
      /^INTERRUPTED: macvlan-two-nic — stopped during the checks; what was made stays, remove it with: /,
    );
    expect(r.stdout).not.toMatch(/PASS|host failed|expectations hold/);
    await downAsPrinted(r.lastLine);
  });

  it('lab down interrupted: finishes, or says what is left and exits 130; never 0 with something left', async () => {
    const run = await labInterrupted(['run', 'macvlan-two-nic', '-i', inventory], {});
    expect(run.code).toBe(0);
    const down = await labInterrupted(['down', 'macvlan-two-nic', '-i', inventory], {
      output: () => false,
      afterMs: 700,
    });
    expectEndedWithinASecond(down, 'lab down (SIGINT at 0.7 s)');
    if (down.code === 0) expect(await labelled()).toEqual([]);
    else if (down.startup) expect(down.code).toBe(130);
    else {
      expect(down.code).toBe(130);
      expect(down.lastLine).toBe(
        'INTERRUPTED: lab down did not finish; run the same command again to remove the rest',
      );
    }
    const again = await labInterrupted(['down', 'macvlan-two-nic', '-i', inventory], {});
    expect(again.code).toBe(0);
    expect(await labelled()).toEqual([]);
  });
});
