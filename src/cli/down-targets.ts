/**
 * The hosts `lab down SCENARIO` visits: the scenario file's own host list when it still loads, every
 * inventory host otherwise (what lab made is found by the scenario's name in labels, not by the file).
 */
import { LabError, isLabError } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import { selectHosts } from '../inventory/select.js';
import { sshTargetsOf } from '../plan/ssh-target.js';
import type { SshTarget } from '../ssh/target.js';
import { findScenario, scenarioNames } from '../scenario/find.js';
import { didYouMean, listOrNone } from '../scenario/suggest.js';
import type { DownReport } from '../run/down.js';
import { likelyHosts } from '../scenario/likely-hosts.js';

export async function downTargets(
  scenario: string,
  inventory: Inventory,
  scenariosDir: string,
): Promise<SshTarget[]> {
  // The schema loads only here: likelyDownTargets runs before it, to start the handshakes.
  const { loadScenarioFile } = await import('../scenario/load.js');
  let selectors = ['all'];
  try {
    selectors = (await loadScenarioFile(findScenario(scenario, scenariosDir))).hosts;
  } catch (err) {
    if (!isLabError(err)) throw err;
  }
  return sshTargetsOf(inventory, selectHosts(inventory, selectors));
}

/**
 * The same hosts, read cheaply (the file's YAML, no schema), to start connecting while lab loads:
 * only a head start, downTargets decides. No guess when the file does not say plainly.
 */
export async function likelyDownTargets(
  scenario: string,
  inventory: Inventory,
  scenariosDir: string,
): Promise<SshTarget[]> {
  let file: string;
  try {
    file = findScenario(scenario, scenariosDir);
  } catch (err) {
    if (!isLabError(err)) throw err;
    return sshTargetsOf(inventory, selectHosts(inventory, ['all']));
  }
  return sshTargetsOf(inventory, await likelyHosts(file, inventory));
}

/** `lab down`'s argument as the scenario name the labels carry (a path → its file name). */
export function scenarioNameOf(arg: string): string {
  return arg.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
}

/**
 * `lab down macvlan-two-nc` (a typo) must not say "nothing left" and exit 0: a name with no scenario
 * file and nothing labelled with it on any host that answered is bad input, with a suggestion. A
 * scenario whose file is gone but whose objects are labelled is removed as usual (found by labels).
 */
export function unknownScenarioError(
  arg: string,
  scenariosDir: string,
  report: DownReport,
): LabError | undefined {
  try {
    findScenario(arg, scenariosDir);
    return undefined;
  } catch (err) {
    if (!isLabError(err)) throw err;
  }
  const found = report.hosts.some(
    (h) =>
      'error' in h ||
      'interrupted' in h ||
      h.containers.length + h.networks.length + h.nics.length + (h.swarm?.length ?? 0) > 0,
  );
  if (found || report.swarmError) return undefined;
  const name = scenarioNameOf(arg);
  const names = scenarioNames(scenariosDir);
  return new LabError(
    'input',
    `no scenario named "${name}", and nothing labelled lab.scenario=${name} on any host${didYouMean(name, names)}`,
    { hint: `scenarios in ${scenariosDir}: ${listOrNone(names)}` },
  );
}
