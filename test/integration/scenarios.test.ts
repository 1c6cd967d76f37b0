import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxHosts, type BoxHosts } from './box-hosts.js';
import { lab } from './cli.js';
import { BoxWitness } from './host-state.js';
import { boxVarFlags } from './box-vars.js';

/**
 * Every lab of the seed on the box: `lab run S` passes (exit 0, every check and assertion PASS, but
 * for the claims of the seed that the box's Docker 20.10 is known not to bear out: exactly those, and
 * nothing else, are DIFFERS FROM THE SEED),
 * `lab check connectivity --scenario S` then finds every cell of the derived matrix as expected, and
 * after `lab down S` the hosts are exactly as before: no container, network, volume, interface or
 * NIC flag of it, the swarm state as it was. Checked on the hosts themselves, not through lab.
 */
const SCENARIOS: [string, { checks: number; assertions: number; differs?: string[] }][] = [
  ['bridge-custom', { checks: 0, assertions: 4 }],
  ['bridge-isolation', { checks: 3, assertions: 4 }],
  // Docker 20.10 connects a container of a user-defined network to the default bridge (二.6: "the
  // reverse gives an error"), and a container with no network in common does not resolve (二.7).
  [
    'bridge-connect',
    {
      checks: 4,
      assertions: 7,
      differs: ['二.6 docker network connect bridge vm8', '二.7 docker exec vm1 nslookup vm5'],
    },
  ],
  ['nat-publish', { checks: 2, assertions: 6 }],
  ['macvlan-one-nic', { checks: 2, assertions: 0 }],
  ['macvlan-two-nic', { checks: 7, assertions: 0 }],
  ['macvlan-one-parent', { checks: 1, assertions: 2 }],
  ['macvlan-subif', { checks: 2, assertions: 4 }],
  ['overlay', { checks: 2, assertions: 3 }],
  // The box's eth0 is a veth on a Linux bridge: frames reach vm4 without promiscuous mode (五.1), and
  // `lab check connectivity --scenario` says so of that cell too, in its JSON and its JUnit.
  [
    'macvlan-no-promisc',
    {
      checks: 1,
      assertions: 2,
      differs: [
        '五.1 docker run --rm --network container:vm5 lab/busybox:latest ping -c 1 -W 1 -I eth0 198.19.1.10',
      ],
    },
  ],
];

interface Outcome {
  outcome: string;
  source?: string;
  evidence: string;
  seed?: { section: string };
  command?: string;
  reproduce?: string;
}

describe('every scenario of the seed on the box', () => {
  let box: BoxHosts;
  let witness: BoxWitness;
  let vars: string[];

  beforeAll(async () => {
    box = await boxHosts();
    witness = await BoxWitness.open(box);
    vars = await boxVarFlags(box.state.inventory);
  });
  afterAll(async () => {
    for (const [s] of SCENARIOS) await lab(['down', s, '-i', box.state.inventory]);
    await witness.close();
  });

  it.each(SCENARIOS)(
    '%s passes, its whole matrix holds, and lab down leaves the hosts as they were',
    async (scenario, counts) => {
      const before = await witness.state(scenario);
      const transcript = path.join(os.tmpdir(), `lab-${scenario}-${process.pid}.md`);
      const r = await lab([
        'run',
        scenario,
        '-i',
        box.state.inventory,
        ...vars,
        '--json',
        '--transcript',
        transcript,
      ]);
      const report = JSON.parse(r.stdout) as {
        verdict: string;
        checks: Outcome[];
        assertions?: Outcome[];
      };
      const all = [...report.checks, ...(report.assertions ?? [])];
      const bad = all.filter((c) => c.outcome !== 'pass' && c.outcome !== 'differs');
      expect(bad, r.stdout).toEqual([]);
      const differs = all
        .filter((c) => c.outcome === 'differs')
        .map((c) => `${c.seed?.section ?? '?'} ${c.command ?? c.reproduce ?? ''}`);
      expect(differs, r.stdout).toEqual(counts.differs ?? []);
      expect(report.verdict).toBe(counts.differs ? 'differs' : 'pass');
      expect(r.code).toBe(0);
      expect(report.checks).toHaveLength(counts.checks);
      expect(report.assertions ?? []).toHaveLength(counts.assertions);

      const text = await readFile(transcript, 'utf8');
      expect(text).toContain(`# ${scenario}: a transcript`);
      expect(text).toMatch(/\[root@server1 ~\]# /);
      expect(text).toContain(counts.differs ? '**DIFFERS FROM THE SEED**' : '**PASS**');

      // What is deployed now, checked as a whole: every derived cell of the matrix holds too.
      if (counts.checks > 0) {
        const junit = path.join(os.tmpdir(), `lab-${scenario}-${process.pid}.xml`);
        const check = await lab([
          'check',
          'connectivity',
          '-i',
          box.state.inventory,
          '--scenario',
          scenario,
          '--json',
          '--junit',
          junit,
        ]);
        const matrix = JSON.parse(check.stdout) as { cells: Outcome[]; verdict: string };
        // Only the cells of the scenario's claims of the seed that this Docker does not bear out differ.
        const seedDiffers = (c: Outcome) => c.outcome === 'differs' && c.seed !== undefined;
        expect(
          matrix.cells.filter((c) => c.outcome !== 'pass' && !seedDiffers(c)),
          check.stdout,
        ).toEqual([]);
        const checksDiffer = report.checks.filter((c) => c.outcome === 'differs');
        expect(matrix.cells.filter(seedDiffers).map((c) => c.seed?.section)).toEqual(
          checksDiffer.map((c) => c.seed?.section),
        );
        expect(matrix.verdict).toBe(checksDiffer.length > 0 ? 'differs' : 'pass');
        expect(check.code).toBe(0);
        const xml = await readFile(junit, 'utf8');
        expect(xml.match(/name="lab.outcome" value="DIFFERS FROM THE SEED"/g) ?? []).toHaveLength(
          checksDiffer.length,
        );
      }

      const down = await lab(['down', scenario, '-i', box.state.inventory]);
      expect(down.code, down.stdout + down.stderr).toBe(0);
      expect(await witness.labelled(scenario)).toEqual([]);
      expect(await witness.state(scenario)).toEqual(before);
    },
  );
});
