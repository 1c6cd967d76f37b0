import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDockerClient } from '../../src/docker/connect-docker.js';
import type { DockerClient } from '../../src/docker/docker-client.js';
import { launchChromium } from '../browser/chromium.js';
import { boxHosts } from './box-hosts.js';
import { boxVarFlags } from './box-vars.js';
import { lab, repoRoot } from './cli.js';

const SCENARIO = 'html-report-fail';
const SCENARIOS = path.join(repoRoot, 'test/integration/scenarios');
/** Where the screenshots go (docs/images/ has copies of the ones that illustrate). */
const SHOTS = process.env.LAB_SCREENSHOTS ?? path.join(os.tmpdir(), 'lab-report-screenshots');

/**
 * The HTML report of a real run, opened in a real browser (Debian's chromium): a scenario with one
 * deliberately wrong expectation, its page looked at as a person would.
 */
describe('lab run --html, in a browser', () => {
  let inventory: string;
  let dir: string;
  let browser: Browser;
  const engines: DockerClient[] = [];
  let args: string[];
  let varFlags: string[];

  beforeAll(async () => {
    const box = await boxHosts();
    inventory = box.state.inventory;
    for (const [i, socket] of box.localDockerSockets.entries())
      engines.push(await createLocalDockerClient(socket, box.state.hosts[i]!.name));
    varFlags = await boxVarFlags(inventory);
    args = [SCENARIO, '-i', inventory, '--scenarios', SCENARIOS, ...varFlags];
    dir = await mkdtemp(path.join(os.tmpdir(), 'lab-html-'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await lab(['down', ...args]);
    await browser?.close();
    await Promise.all(engines.map((e) => e.close()));
  });

  /** The page from disk in a fresh tab, with what it logged as errors and every request it made. */
  async function open(page: string) {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    tab.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    tab.on('pageerror', (e) => problems.push(String(e)));
    tab.on('request', (q) => requests.push(q.url()));
    const url = pathToFileURL(page).href;
    await tab.goto(url, { waitUntil: 'load' });
    return { tab, problems, requests, url };
  }

  async function labelled(): Promise<number> {
    let n = 0;
    for (const e of engines) {
      n += (await e.listContainers({ labels: { 'lab.scenario': SCENARIO } })).length;
      n += (await e.listNetworks({ labels: { 'lab.scenario': SCENARIO } })).length;
    }
    return n;
  }

  it('refuses a page it cannot write before any host is touched', async () => {
    const r = await lab(['run', ...args, '--html', '/proc/lab-report.html']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--html \/proc\/lab-report.html: cannot write there/);
    expect(await labelled()).toBe(0);
  });

  it('draws the run: one box per host, a cell per expectation, the FAIL explained on click', async () => {
    const page = path.join(dir, 'report.html');
    const r = await lab(['run', ...args, '--html', page, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      checks: { outcome: string; reason: string }[];
      topology: { hosts: unknown[] };
    };
    expect(report.topology.hosts).toHaveLength(2);
    const failed = report.checks.filter((c) => c.outcome === 'fail');
    expect(failed).toHaveLength(1);

    const { tab, problems, requests, url } = await open(page);

    expect(await tab.locator('svg.topo .node.host').count()).toBe(2);
    const canvas = tab.locator('canvas.heatmap');
    expect(await canvas.getAttribute('data-cells')).toBe(String(report.checks.length));
    const at = await tab.evaluate(() => {
      const s = (globalThis as unknown as { labReport: LabReportApi }).labReport.sections[0]!;
      const fails = s.find('f');
      return { fails: fails.length, where: s.locate(fails[0]!) };
    });
    expect(at.fails).toBe(1);
    await tab.mouse.click(at.where!.x, at.where!.y);
    const detail = tab.locator('.detail');
    await expect.poll(() => detail.textContent()).toContain(failed[0]!.reason);
    expect(await detail.textContent()).toContain('FAIL');
    // The failing cell's path is lit on the topology: vm4's box and the line to its network.
    expect(await tab.locator('svg.topo .on').count()).toBeGreaterThanOrEqual(2);

    await mkdir(SHOTS, { recursive: true });
    await tab.screenshot({ path: path.join(SHOTS, 'report-fail.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await tab.close();

    // The same page from the saved JSON report, but for the moment it was written.
    await writeFile(path.join(dir, 'report.json'), r.stdout);
    const again = path.join(dir, 'again.html');
    const saved = await lab(['report', path.join(dir, 'report.json'), '--html', again]);
    expect(saved.code).toBe(0);
    const strip = (html: string) => html.replace(/written [^<]+/, '');
    expect(strip(await readFile(again, 'utf8'))).toBe(strip(await readFile(page, 'utf8')));
    // The run draws web's published port, from the plan.
    expect(await readFile(page, 'utf8')).toContain('-p 8080:80');
  });

  it('draws a check as it draws a run: Docker versions, the parent NIC as found, published ports', async () => {
    const page = path.join(dir, 'check.html');
    const r = await lab([
      'check',
      'connectivity',
      '-i',
      inventory,
      '--scenario',
      SCENARIO,
      '--scenarios',
      SCENARIOS,
      ...varFlags,
      '--html',
      page,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(1); // the scenario's wrong expectation FAILs here too
    const doc = JSON.parse(r.stdout) as {
      hosts: { host: string; engine?: string; nics?: { name: string; promisc: boolean }[] }[];
      sources: { name: string; published?: { port: number; hostPort: number }[] }[];
      cells: unknown[];
    };
    expect(doc.hosts.map((h) => h.engine)).toEqual([
      expect.stringMatching(/^\d+\.\d+/),
      expect.stringMatching(/^\d+\.\d+/),
    ]);
    // The scenario set eth0 promiscuous on both hosts; the check reads it back.
    for (const h of doc.hosts) expect(h.nics).toEqual([{ name: 'eth0', up: true, promisc: true }]);
    expect(doc.sources.find((s) => s.name === 'web')?.published).toEqual([
      { port: 80, protocol: 'tcp', hostPort: 8080 },
    ]);

    const { tab, problems, requests, url } = await open(page);
    const hostBoxes = tab.locator('svg.topo .node.host');
    expect(await hostBoxes.count()).toBe(2);
    for (const [i, h] of doc.hosts.entries())
      expect(await hostBoxes.nth(i).textContent()).toContain(`Docker ${h.engine!}`);
    expect(await tab.locator('svg.topo').textContent()).toContain('-p 8080:80');
    expect(await tab.locator('svg.topo').textContent()).toContain('up, promisc');
    expect(await tab.locator('canvas.heatmap').getAttribute('data-cells')).toBe(
      String(doc.cells.length),
    );
    await tab.screenshot({ path: path.join(SHOTS, 'report-check.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await tab.close();

    await writeFile(path.join(dir, 'check.json'), r.stdout);
    const again = path.join(dir, 'check-again.html');
    expect((await lab(['report', path.join(dir, 'check.json'), '--html', again])).code).toBe(0);
    const strip = (html: string) => html.replace(/written [^<]+/, '');
    expect(strip(await readFile(again, 'utf8'))).toBe(strip(await readFile(page, 'utf8')));
  });
});

interface LabReportApi {
  sections: { find(o: string): number[]; locate(i: number): { x: number; y: number } | null }[];
}
