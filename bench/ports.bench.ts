/**
 * Port cells on the box (issue 13, speed): 2 hosts × 8 containers, each listening on 3 TCP ports
 * (busybox httpd on 80, 5432 and 8080), half on a macvlan network on eth0, half on an isolated one
 * on eth1. `lab check connectivity` with its port cells (--ports all: every listening port, from
 * every source) against the same without them (--ports none: the ICMP matrix alone).
 *
 * Goal: the port cells batch like ping cells, so the check with them stays within the probe timeout
 * + 1 s plus the ICMP matrix's time; and a refused port answers at once (the scenario expects every
 * container not to reach port 9 of its counterpart on the other host; the JSON gives the slowest
 * refused cell). goal.met says whether all of it held, with the load average beside it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BoxState } from '../src/box/index.js';
import {
  boxCheckArgs,
  ensureBox,
  handBatch,
  type HandCell,
  labRun as labCli,
  median,
  processCostMs,
  withBusyMs,
  writeResult,
} from './box.js';
import { benchScenarioHead } from './check-scenario.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROBE_TIMEOUT_S = 1;
const SCENARIO = 'bench-ports';
const HOSTS = 2;
const PER_HOST = 8;
const PORTS = [80, 5432, 8080];
const CLOSED_PORT = 9;

interface CheckJson {
  verdict: string;
  durationMs: number;
  phases: { discoverMs: number; probeMs: number };
  counts: { cells: number; pass: number; fail: number; error: number };
  roundTrips: { dockerCalls: number; probers: number };
  cells: (HandCell & {
    target: string;
    portState?: string;
    durationMs: number;
    outcome: string;
    observed: string;
  })[];
}

function scenarioYaml(): string {
  const hosts = Array.from({ length: HOSTS }, (_, i) => `server${i + 1}`);
  const serve = PORTS.map((p) => `httpd -p ${p} -h /`).join('; ');
  const containers: string[] = [];
  for (const [h, host] of hosts.entries()) {
    for (let k = 0; k < PER_HOST; k++) {
      const net = k % 2 === 0 ? 'bench_net1' : 'bench_net2';
      containers.push(
        `  - { name: p${h + 1}c${k}, host: ${host}, networks: [{ network: ${net}, ip: ${10 + h * PER_HOST + k} }], command: [sh, -c, '${serve}; exec sleep 3600'] }`,
      );
    }
  }
  // A port nobody listens on, from every container to its counterpart on the other host (same
  // network): the refused cells, which must answer at once, not after the timeout.
  const refused = hosts.flatMap((_, h) =>
    Array.from({ length: PER_HOST }, (_, k) => [
      `  - from: p${h + 1}c${k}`,
      `    not_reach: { container: p${((h + 1) % HOSTS) + 1}c${k}, port: ${CLOSED_PORT} }`,
      '    reason: nothing listens there; the reset must come back at once',
    ]).flat(),
  );
  return [
    ...benchScenarioHead({
      name: SCENARIO,
      description: 'benchmark of port cells in lab check connectivity (generated)',
      hosts,
      subnets: ['198.19.43', '198.19.44'],
    }),
    ...containers,
    'expect:',
    ...refused,
    '',
  ].join('\n');
}

async function rounds(scen: string[], ports: string) {
  const out: { ms: number; json: CheckJson; code: number; busyMs: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const { value: r, busyMs } = await withBusyMs(() =>
      labCli(boxCheckArgs(SCENARIO, scen, '--no-names', '--ports', ports)),
    );
    const json = JSON.parse(r.stdout) as CheckJson;
    out.push({ ms: r.ms, json, code: r.code, busyMs });
    process.stdout.write(
      `  --ports ${ports} round ${i + 1}: ${Math.round(r.ms)} ms (engine ${json.durationMs} ms), ${json.counts.cells} cells, verdict ${json.verdict}\n`,
    );
  }
  const last = out.at(-1) as (typeof out)[number];
  return {
    medianMs: Math.round(median(out.map((r) => r.ms))),
    medianEngineMs: Math.round(median(out.map((r) => r.json.durationMs))),
    roundsMs: out.map((r) => Math.round(r.ms)),
    // CPU the machine spent per round, all cores (2 here): CPU-bound when near twice the time.
    busyCpuMs: out.map((r) => r.busyMs),
    exitCodes: out.map((r) => r.code),
    cells: last.json.counts.cells,
    portCells: last.json.cells.filter((c) => c.target.startsWith('port:')).length,
    verdicts: last.json.counts,
    phasesLastRound: last.json.phases,
    roundTrips: last.json.roundTrips,
    // What the cells that did not pass saw, counted by their words (digits folded): load or lab?
    notPassed: countBy(
      last.json.cells
        .filter((c) => c.outcome !== 'pass')
        .map((c) => `${c.outcome}: ${c.observed.replace(/\d+/g, 'N')}`),
    ),
    refusedCells: last.json.cells.filter((c) => c.portState === 'refused').length,
    slowestRefusedMs: Math.max(
      0,
      ...last.json.cells.filter((c) => c.portState === 'refused').map((c) => c.durationMs),
    ),
    lastCells: last.json.cells,
  };
}

/**
 * The same cells by hand, all at once (bench/box.ts handBatch), with and without the port cells:
 * what the ports cost on this machine when nothing but the probes runs, against the budget's
 * probe timeout + 1 s.
 */
async function byHand(state: BoxState, cells: readonly HandCell[]) {
  const icmpMs: number[] = [];
  const allMs: number[] = [];
  const icmpBusy: number[] = [];
  const allBusy: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const a = await withBusyMs(() =>
      handBatch(
        state,
        cells.filter((c) => c.port === undefined),
      ),
    );
    icmpMs.push(Math.round(a.value));
    icmpBusy.push(a.busyMs);
    const b = await withBusyMs(() => handBatch(state, cells));
    allMs.push(Math.round(b.value));
    allBusy.push(b.busyMs);
  }
  process.stdout.write(
    `  by hand: ICMP ${icmpMs.join(' / ')} ms, with ports ${allMs.join(' / ')} ms\n`,
  );
  return {
    icmpOnly: { medianMs: median(icmpMs), roundsMs: icmpMs, busyCpuMs: icmpBusy },
    withPorts: { medianMs: median(allMs), roundsMs: allMs, busyCpuMs: allBusy },
    portsAddMs: median(allMs) - median(icmpMs),
  };
}

function countBy(words: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const w of words) out[w] = (out[w] ?? 0) + 1;
  return out;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-bench-ports-'));
  const box = await ensureBox(HOSTS);
  const scen = ['--scenarios', dir];
  await writeFile(path.join(dir, `${SCENARIO}.yaml`), scenarioYaml());
  try {
    await labCli(['down', SCENARIO, '-i', 'box', ...scen]);
    const deployed = await labCli(['run', SCENARIO, '-i', 'box', ...scen, '--json']);
    if (deployed.code !== 0) throw new Error(`deploying ${SCENARIO} failed:\n${deployed.stdout}`);
    const loadBefore = os.loadavg().map((l) => Number(l.toFixed(1)));
    const forkExecMs = await processCostMs(box.state, 'server1', 'p1c0');
    const icmp = await rounds(scen, 'none');
    const withPorts = await rounds(scen, 'all');
    const budget = icmp.medianMs + (PROBE_TIMEOUT_S + 1) * 1000;
    const floor = await byHand(box.state, withPorts.lastCells);
    const result = {
      benchmark: 'ports',
      date: new Date().toISOString(),
      hosts: HOSTS,
      containersPerHost: PER_HOST,
      portsPerContainer: PORTS.length,
      probeTimeoutSeconds: PROBE_TIMEOUT_S,
      rounds: ROUNDS,
      icmpOnly: { ...icmp, lastCells: undefined },
      withPorts: { ...withPorts, lastCells: undefined },
      byHand: floor,
      machine: {
        cores: os.cpus().length,
        forkExecMs,
        note: 'forkExecMs: one fork and exec of /bin/true in a box container (bench/box.ts processCostMs); a probe’s first try is one such process started by the script’s own shell (ping, nc and its exec of true, traceroute, nslookup)',
      },
      loadAverage: { before: loadBefore, after: os.loadavg().map((l) => Number(l.toFixed(1))) },
      goal: {
        maxCheckMs: budget,
        rule: 'check with port cells ≤ ICMP-only check + probe timeout + 1 s (medians); every refused port cell answered within the probe timeout; both checks PASS',
        checkWithinBudget: withPorts.medianMs <= budget,
        refusedAtOnce:
          withPorts.refusedCells > 0 && withPorts.slowestRefusedMs < PROBE_TIMEOUT_S * 1000,
        bothPass:
          icmp.verdicts.fail +
            icmp.verdicts.error +
            withPorts.verdicts.fail +
            withPorts.verdicts.error ===
          0,
        met: false,
      },
      note: 'whole `lab check connectivity --no-names --json` runs as a user runs them (new node process each); names left out of both so that the difference is the port cells alone (but for the scenario’s 16 refused-port expectations, which get their column in both). The box shares one kernel and 2 cores with other work: figures from a loaded machine are noise.',
    };
    const g = result.goal;
    g.met = g.checkWithinBudget && g.refusedAtOnce && g.bothPass;
    process.stdout.write(`written: ${await writeResult('ports', result)}\n`);
    process.stdout.write(`${JSON.stringify(result.goal)}\n`);
  } finally {
    await labCli(['down', SCENARIO, '-i', 'box', ...scen]);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
