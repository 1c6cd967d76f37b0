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

  beforeAll(async () => {
    const box = await boxHosts();
    inventory = box.state.inventory;
    for (const [i, socket] of box.localDockerSockets.entries())
      engines.push(await createLocalDockerClient(socket, box.state.hosts[i]!.name));
    args = [SCENARIO, '-i', inventory, '--scenarios', SCENARIOS, ...(await boxVarFlags(inventory))];
    dir = await mkdtemp(path.join(os.tmpdir(), 'lab-html-'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await lab(['down', ...args]);
    await browser?.close();
    await Promise.all(engines.map((e) => e.close()));
  });

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

    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    tab.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    tab.on('pageerror', (e) => problems.push(String(e)));
    tab.on('request', (q) => requests.push(q.url()));
    const url = pathToFileURL(page).href;
    await tab.goto(url, { waitUntil: 'load' });

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
  });
});

interface LabReportApi {
  sections: { find(o: string): number[]; locate(i: number): { x: number; y: number } | null }[];
}
