/**
 * Reproduces on purpose what a dockerd killed while it creates a macvlan network leaves behind (the
 * fault suite's intermittent "network dm-… is already using parent interface eth0"): on a box that is
 * up (under the box lock), POST /networks/create (macvlan on eth0) to server2's engine and SIGKILL
 * dockerd D ms later, D swept; after each restart, report what Docker lists, what a second create
 * says, and the host's links. Usage: npx tsx scripts/engine-crash-network.ts [--tries N] [--strace]
 * [--lab]. With --strace it is hit on the first try (see below); --lab then checks that `lab run`
 * names the network the crash left (docs/reliability.md).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { readBoxState, killEngine, startEngine, machineSideSocket } from '../src/box/index.js';
import { forgetEngineNetworks, lab, openFaultBox } from '../test/faults/harness.js';

const run = promisify(execFile);
const host = 'server2';
const arg = (name: string, dflt: number) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : dflt;
const tries = arg('--tries', 30);
const from = arg('--from', 6);
const step = arg('--step', 0.3);
/**
 * --strace: the window made wide on purpose. Every fdatasync of dockerd is delayed by 1 s (strace
 * fault injection), and dockerd is killed once the macvlan driver's record ("…/macvlan/network/ID") and the
 * meta page after it are written, before Docker's own network record is: the state a crash inside
 * that window leaves.
 */
const traced = process.argv.includes('--strace');
let driverSaved: Promise<void> = Promise.resolve();

async function traceEngine(pid: number): Promise<ChildProcess> {
  const child = spawn(
    'strace',
    [
      '-f',
      '-qq',
      '-p',
      String(pid),
      '-s',
      '65536',
      '-e',
      'trace=pwrite64,fdatasync',
      '-e',
      'inject=fdatasync:delay_exit=1000000',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // Never left behind: a strace outliving this script keeps the killed dockerd a zombie, and the
  // box's cgroup with it.
  const stop = () => child.kill('SIGKILL');
  process.once('exit', stop);
  for (const sig of ['SIGTERM', 'SIGINT'] as const)
    process.once(sig, () => {
      stop();
      process.exit(1);
    });
  let text = '';
  let seen = false;
  driverSaved = new Promise((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      const lines = text.split('\n');
      text = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('pwrite64(')) continue;
        if (!seen && /macvlan\/network\/[0-9a-f]{12}/.test(line)) seen = true;
        // Then bolt's meta page (page 0 or 1, at offset 0 or 4096): the commit itself.
        else if (seen && /, (0|4096)\) += \d+$/.test(line)) resolve();
      }
    });
  });
  await new Promise((r) => setTimeout(r, 1500));
  return child;
}

async function killInTheWindow(_pid: number, _sock: string): Promise<void> {
  const timeout = new Promise<void>((r) => setTimeout(r, 30_000));
  await Promise.race([driverSaved, timeout]);
  // Inside the delayed fdatasync of the meta page: written, not yet followed by Docker's record.
  await new Promise((r) => setTimeout(r, 300));
}

async function api(sock: string, method: string, path: string, body?: unknown): Promise<string> {
  const args = [
    '-s',
    '--unix-socket',
    sock,
    '-X',
    method,
    `http://d${path}`,
    '-w',
    ' HTTP%{http_code}',
  ];
  if (body) args.push('-H', 'Content-Type: application/json', '-d', JSON.stringify(body));
  return (await run('curl', args, { timeout: 20_000 })).stdout;
}

const create = {
  Name: 'crash_net',
  Driver: 'macvlan',
  IPAM: { Config: [{ Subnet: '198.19.1.0/24' }] },
  Options: { parent: 'eth0' },
  Labels: { 'lab.managed': 'true', 'lab.scenario': 'crash-repro' },
};

async function main(): Promise<void> {
  const f = await openFaultBox();
  const { sys, stateDir } = f;
  for (let i = 0; i < tries; i++) {
    const state = await readBoxState(stateDir);
    const h = state.hosts.find((x) => x.name === host)!;
    const sock = machineSideSocket(h.anchor.pid);
    // The window is a few ms wide: between the driver saving the network and Docker listing it
    // (a create answered in about 10 ms here); swept from `--from` ms in steps of `--step`.
    const delay = from + i * step;
    const strace = traced ? await traceEngine(h.dockerd.pid) : undefined;
    const posted = api(sock, 'POST', '/networks/create', create).catch(
      (e) => `failed: ${String(e).slice(0, 80)}`,
    );
    if (traced) await killInTheWindow(h.dockerd.pid, sock);
    else {
      const until = performance.now() + delay;
      while (performance.now() < until) await new Promise((r) => setImmediate(r));
    }
    await killEngine(sys, stateDir, host);
    strace?.kill('SIGKILL');
    const answer = await posted;
    await startEngine(sys, stateDir, host);
    const s2 = await readBoxState(stateDir);
    const sock2 = machineSideSocket(s2.hosts.find((x) => x.name === host)!.anchor.pid);
    const listed = await api(
      sock2,
      'GET',
      '/networks?filters=' + encodeURIComponent('{"driver":["macvlan"]}'),
    );
    const again = await api(sock2, 'POST', '/networks/create', { ...create, Name: 'crash_net2' });
    const links = (
      await run('sh', [
        '-c',
        `nsenter --net=/run/netns/labbox-${host} ip -o link show | cut -d: -f2 | tr '\\n' ' '`,
      ])
    ).stdout;
    process.stdout.write(
      `try ${i} kill after ${delay.toFixed(1)} ms: create said ${answer.slice(-120)}\n  listed: ${listed.slice(0, 300)}\n  second create: ${again.slice(0, 300)}\n  links: ${links}\n`,
    );
    // Clean what Docker lists of ours.
    for (const id of [...listed.matchAll(/"Id":"([0-9a-f]+)"/g)].map((m) => m[1]))
      await api(sock2, 'DELETE', `/networks/${id}`);
    for (const id of [...again.matchAll(/"Id":"([0-9a-f]+)"/g)].map((m) => m[1]))
      await api(sock2, 'DELETE', `/networks/${id}`);
    if (/already using parent/.test(again)) {
      process.stdout.write('REPRODUCED\n');
      if (process.argv.includes('--lab')) await labNamesIt(f);
      break;
    }
  }
}
/**
 * --lab: with the network the crash left, `lab run macvlan-two-nic` must name it (exit 3, the id,
 * the way to free eth0); `lab down` then cleans what the run made, and the engine's store is
 * forgotten as lab's hint says, so the box is usable again. Sets the exit code on a miss.
 */
async function labNamesIt(f: Awaited<ReturnType<typeof openFaultBox>>): Promise<void> {
  const r = await lab(['run', 'macvlan-two-nic', '-i', f.inventory]);
  const named =
    /^! server2: Docker on server2 still holds a macvlan network on eth0 that it does not list \(id [0-9a-f]{12}\)/m;
  const ok = r.code === 3 && named.test(r.stdout) && /local-kv\.db/.test(r.stdout);
  process.stdout.write(
    `lab run: exit ${r.code}, ${ok ? 'names it' : 'DOES NOT name it'}\n${r.stdout}\n`,
  );
  const down = await lab(['down', 'macvlan-two-nic', '-i', f.inventory]);
  process.stdout.write(`lab down: exit ${down.code}\n${down.stdout}\n`);
  await forgetEngineNetworks(f, host);
  if (!ok || down.code !== 0) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
