/**
 * `lab run macvlan-two-nic -i box` against its floor: the same Docker and `ip` operations sent
 * straight to each box host (its own Engine socket and network namespace, no SSH, no Node start-up
 * of a CLI), hosts in parallel. Goal (issue 3): lab run within 1.3× the floor.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createLocalDockerClient } from '../src/docker/connect-docker.js';
import type { DockerClient } from '../src/docker/docker-client.js';
import { loadInventory } from '../src/inventory/load.js';
import { compilePlan } from '../src/plan/compile.js';
import type { Plan } from '../src/plan/model.js';
import { stepCommands } from '../src/plan/commands.js';
import { pingFrom } from '../src/probe/ping.js';
import { loadScenarioFile, resolveScenario } from '../src/scenario/index.js';
import type { BoxState } from '../src/box/index.js';
import { ensureBox, median, writeResult } from './box.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function labCli(args: string[]): Promise<{ ms: number; json: Record<string, unknown> }> {
  const started = performance.now();
  const { stdout } = await run(
    process.execPath,
    [path.join(root, 'bin/lab.js'), ...args, '--json'],
    { cwd: root },
  );
  return { ms: performance.now() - started, json: JSON.parse(stdout) as Record<string, unknown> };
}

async function nsenter(state: BoxState, host: string, script: string): Promise<void> {
  const h = state.hosts.find((x) => x.name === host);
  if (!h) throw new Error(`no box host ${host}`);
  await run(h.nsenter[0] as string, [...h.nsenter.slice(1), 'sh', '-c', script]);
}

/** The floor: exactly the plan's operations, straight to each host, hosts in parallel, then the pings. */
async function floor(
  plan: Plan,
  state: BoxState,
  engines: Map<string, DockerClient>,
): Promise<number> {
  const started = performance.now();
  await Promise.all(
    plan.hosts.map(async (h) => {
      const docker = engines.get(h.host) as DockerClient;
      const nic = h.steps.filter((s) => s.kind === 'nic').flatMap(stepCommands);
      if (nic.length > 0) await nsenter(state, h.host, nic.join(' && '));
      for (const s of h.steps) {
        if (s.kind === 'network') {
          await docker.createNetwork({
            name: s.name,
            driver: s.driver,
            ...(s.subnet !== undefined && { subnet: s.subnet }),
            ...(s.gateway !== undefined && { gateway: s.gateway }),
            options: s.options,
            labels: s.labels,
          });
        } else if (s.kind === 'container') {
          const [first, ...rest] = s.networks;
          await docker.createContainer({
            name: s.name,
            image: s.image,
            ...(s.command ? { command: s.command } : { interactive: true }),
            labels: s.labels,
            ...(first && {
              network: { name: first.network, ...(first.ipv4 && { ipv4: first.ipv4 }) },
            }),
          });
          for (const n of rest) await docker.connectNetwork(n.network, s.name, n.ipv4);
          await docker.startContainer(s.name);
        }
      }
    }),
  );
  const results = await Promise.all(
    plan.checks.map((c) =>
      pingFrom(engines.get(c.from.host) as DockerClient, c.from.container, c.to.address, 1),
    ),
  );
  const ms = performance.now() - started;
  const wrong = results.filter((r, i) => r.reached !== (plan.checks[i]?.expect === 'reach'));
  if (wrong.length > 0)
    throw new Error(`floor run: ${wrong.length} checks did not come out as expected`);
  return ms;
}

async function cleanFloor(
  plan: Plan,
  state: BoxState,
  engines: Map<string, DockerClient>,
): Promise<void> {
  await Promise.all(
    plan.hosts.map(async (h) => {
      const docker = engines.get(h.host) as DockerClient;
      for (const c of await docker.listContainers({ labels: { 'lab.scenario': plan.scenario } }))
        await docker.removeContainer(c.id);
      for (const n of await docker.listNetworks({ labels: { 'lab.scenario': plan.scenario } }))
        await docker.removeNetwork(n.id);
      await nsenter(
        state,
        h.host,
        'ip link set eth0 promisc off; ip link set eth1 promisc off; ip link set eth1 down',
      );
    }),
  );
}

async function main(): Promise<void> {
  const box = await ensureBox(2);
  const inventory = await loadInventory(box.state.inventory);
  const doc = await loadScenarioFile(path.join(root, 'scenarios/macvlan-two-nic.yaml'));
  const plan = compilePlan(resolveScenario(doc, inventory, {}), inventory);
  const engines = new Map<string, DockerClient>();
  for (const h of box.state.hosts)
    engines.set(h.name, await createLocalDockerClient(h.dockerSocket, h.name));

  await labCli(['down', 'macvlan-two-nic', '-i', 'box']);
  const rounds: {
    floorMs: number;
    runMs: number;
    runEngineMs: number;
    rerunMs: number;
    downMs: number;
    runConnections: number;
    downConnections: number;
    verdict: unknown;
  }[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const floorMs = await floor(plan, box.state, engines);
      await cleanFloor(plan, box.state, engines);
      const first = await labCli(['run', 'macvlan-two-nic', '-i', 'box']);
      const rerun = await labCli(['run', 'macvlan-two-nic', '-i', 'box']);
      const down = await labCli(['down', 'macvlan-two-nic', '-i', 'box']);
      const ssh = (j: Record<string, unknown>) =>
        (j['ssh'] as { connectionsOpened: number }).connectionsOpened;
      rounds.push({
        floorMs: Math.round(floorMs),
        runMs: Math.round(first.ms),
        runEngineMs: Number(first.json['durationMs']),
        rerunMs: Math.round(rerun.ms),
        downMs: Math.round(down.ms),
        runConnections: ssh(first.json),
        downConnections: ssh(down.json),
        verdict: first.json['verdict'],
      });
      process.stdout.write(`round ${i + 1}: ${JSON.stringify(rounds.at(-1))}\n`);
    }
  } finally {
    await Promise.all([...engines.values()].map((e) => e.close()));
    if (box.madeByUs) await box.down();
  }
  const floorMs = median(rounds.map((r) => r.floorMs));
  const runMs = median(rounds.map((r) => r.runMs));
  const result = {
    benchmark: 'lab-run',
    scenario: 'macvlan-two-nic',
    hosts: 2,
    rounds: rounds.length,
    date: new Date().toISOString(),
    medianMs: {
      floor: floorMs,
      labRun: runMs,
      labRunEngine: median(rounds.map((r) => r.runEngineMs)),
      labRunAgain: median(rounds.map((r) => r.rerunMs)),
      labDown: median(rounds.map((r) => r.downMs)),
    },
    ratio: Number((runMs / floorMs).toFixed(2)),
    ratioEngine: Number((median(rounds.map((r) => r.runEngineMs)) / floorMs).toFixed(2)),
    goal: { maxRatio: 1.3, met: runMs / floorMs <= 1.3 },
    sshConnections: { labRun: rounds[0]?.runConnections, labDown: rounds[0]?.downConnections },
    note: 'ratio: the whole `lab run` command as a user runs it; ratioEngine: lab’s own work once started (connect, preflight, apply, checks), i.e. without Node start-up and module loading. lab run is timed as a user runs it: a new node process (CLI start-up included), SSH to each host, preflight, apply, checks. The floor is the same operations in-process over each host’s local Engine socket and nsenter, no SSH.',
    rawRounds: rounds,
  };
  process.stdout.write(
    `${JSON.stringify(result.medianMs)} ratio ${result.ratio}\nwritten: ${await writeResult('lab-run', result)}\n`,
  );
}

await main();
