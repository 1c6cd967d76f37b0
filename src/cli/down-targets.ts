/**
 * The hosts `lab down SCENARIO` visits: the scenario file's own host list when it still loads, every
 * inventory host otherwise (what lab made is found by the scenario's name in labels, not by the file).
 */
import { isLabError } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import { selectHosts } from '../inventory/select.js';
import { sshTargetsOf } from '../plan/ssh-target.js';
import type { SshTarget } from '../ssh/target.js';
import { findScenario } from '../scenario/find.js';
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
