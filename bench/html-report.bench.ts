/**
 * The HTML report (`--html`, `lab report`) at 2 hosts × 8 containers and 8 × 16: a finished
 * `lab check connectivity` of that size (every cell of the real matrix, test/fakes/big-check.ts),
 * drawn as the page; its size, the time to write it, and the time Debian's chromium takes to open it
 * from disk (navigation start to the load event, the heatmap drawn by then). Needs chromium, not the
 * box. Goal (issue 12): at 8 × 16 under 1 MB and open in under 1 s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { reportOf } from '../src/picture/from-documents.js';
import { renderHtml } from '../src/picture/html.js';
import { identifyReport } from '../src/picture/report-documents.js';
import { connectivityToJson } from '../src/report/connectivity-json.js';
import { launchChromium } from '../test/browser/chromium.js';
import { bigCheck } from '../test/fakes/big-check.js';
import { median, writeResult } from './box.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONFIGS = [
  { hosts: 2, perHost: 8 },
  { hosts: 8, perHost: 16 },
];

async function page(hosts: number, perHost: number) {
  const report = bigCheck(hosts, perHost);
  const json = JSON.parse(
    JSON.stringify(
      connectivityToJson(report, {
        exitCode: 3,
        roundTrips: {
          sshConnections: hosts,
          sshCommands: 0,
          dockerCalls: 0,
          dockerRequests: 0,
          probers: 0,
        },
      }),
    ),
  ) as unknown;
  const doc = identifyReport(json);
  if (doc.kind === 'unknown') throw new Error(doc.problems.join('; '));
  const started = performance.now();
  const html = await renderHtml(reportOf(doc), new Date().toISOString());
  return { html, cells: report.results.length, renderMs: performance.now() - started };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-html-bench-'));
  const browser = await launchChromium();
  const results = [];
  try {
    for (const c of CONFIGS) {
      const { html, cells, renderMs } = await page(c.hosts, c.perHost);
      const file = path.join(dir, `${c.hosts}x${c.perHost}.html`);
      await writeFile(file, html);
      const loads: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        loads.push(
          // Runs in the page (its performance object; Node's types describe Node's).
          await tab.evaluate(() => {
            const [nav] = performance.getEntriesByType('navigation' as never) as unknown as {
              loadEventEnd: number;
            }[];
            return nav ? nav.loadEventEnd : -1;
          }),
        );
        await tab.close();
      }
      const bytes = Buffer.byteLength(html);
      const loadMs = Math.round(median(loads));
      results.push({
        hosts: c.hosts,
        containersPerHost: c.perHost,
        cells,
        bytes,
        renderMs: Math.round(renderMs),
        loadMs,
        loadsMs: loads.map(Math.round),
        goal: { maxBytes: 1_000_000, maxLoadMs: 1000, met: bytes < 1_000_000 && loadMs < 1000 },
      });
      process.stdout.write(`${JSON.stringify(results.at(-1))}\n`);
    }
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
  const result = {
    benchmark: 'html-report',
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    results,
    note: 'A lab check connectivity report of every cell (container addresses, names, gateways, hosts) drawn as the HTML page; loadMs: chromium (headless, Debian) from navigation start to the load event, by which the topology and the heatmap are drawn; median of the rounds.',
  };
  process.stdout.write(`written: ${await writeResult('html-report', result)}\n`);
}

await main();
