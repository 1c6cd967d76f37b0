/** Finding scenario files by name (`lab run macvlan-two-nic`) and listing them (`lab ls`). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { LabError, isLabError } from '../common/errors.js';
import { closest, didYouMean, listOrNone } from './suggest.js';

const EXTENSIONS = ['.yaml', '.yml'];

function scenarioFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && EXTENSIONS.includes(extname(e.name)))
    .map((e) => e.name)
    .sort();
}

const nameOf = (file: string) => basename(file, extname(file));

/** The names of the scenarios in `dir` (none when it is not a directory), for suggestions. */
export function scenarioNames(dir: string): string[] {
  return scenarioFiles(dir).map(nameOf);
}

/**
 * A scenario name (`macvlan-two-nic` → `<dir>/macvlan-two-nic.yaml`) or a path to a file (anything
 * with a slash or a .yaml/.yml ending). Returns the file's path; an unknown name is an error listing
 * the available ones.
 */
export function findScenario(nameOrPath: string, scenariosDir: string): string {
  const looksLikePath = nameOrPath.includes('/') || EXTENSIONS.includes(extname(nameOrPath));
  if (looksLikePath) {
    if (existsSync(nameOrPath) && statSync(nameOrPath).isFile()) return nameOrPath;
    throw new LabError('input', `scenario file ${nameOrPath} does not exist`, {
      hint: missingPathHint(nameOrPath, scenariosDir),
    });
  }
  for (const ext of EXTENSIONS) {
    const file = join(scenariosDir, `${nameOrPath}${ext}`);
    if (existsSync(file)) return file;
  }
  const names = scenarioFiles(scenariosDir).map(nameOf);
  throw new LabError('input', `no scenario named "${nameOrPath}"${didYouMean(nameOrPath, names)}`, {
    hint: `scenarios in ${scenariosDir}: ${listOrNone(names)}; or give a path to a .yaml file`,
  });
}

/** `lab plan macvlan-two-nic.yaml` from the wrong directory: point at the scenario of that name. */
function missingPathHint(nameOrPath: string, scenariosDir: string): string {
  const name = nameOf(nameOrPath);
  const names = scenarioFiles(scenariosDir).map(nameOf);
  const file = scenarioFiles(scenariosDir).find((f) => nameOf(f) === name);
  if (file) {
    return `there is a scenario named ${name} in ${scenariosDir}: give its name (lab plan ${name} …) or its path ${join(scenariosDir, file)}`;
  }
  const near = closest(name, names);
  return near !== undefined
    ? `did you mean the scenario ${near} (${join(scenariosDir, `${near}.yaml`)})? scenarios: ${listOrNone(names)}`
    : `scenarios in ${scenariosDir}: ${listOrNone(names)}; a path is read from the current directory`;
}

/** `--scenarios DIR` that is not a directory is bad input, not an empty list. */
function checkScenariosDir(dir: string): void {
  if (!existsSync(dir)) {
    throw new LabError('input', `the scenarios directory ${dir} does not exist`, {
      hint: '--scenarios names a directory of NAME.yaml files; leave it out for ./scenarios or the shipped ones',
    });
  }
  if (!statSync(dir).isDirectory()) {
    throw new LabError('input', `--scenarios ${dir} is not a directory`, {
      hint: '--scenarios names a directory of NAME.yaml files; to use one file, give its path as the scenario',
    });
  }
}

export interface ScenarioSummary {
  /** What to type: the file name without its extension. */
  name: string;
  file: string;
  /** The first line of the description ('' if none). */
  title: string;
  /** The variables it defines or uses (`${name}`), for `lab run --all --var`. */
  variables?: string[];
  /** Set when the file does not load: `lab ls` shows it instead of hiding the file. */
  error?: LabError;
}

/** Every scenario file in `dir`, sorted by name, each loaded and schema-checked. */
export async function listScenarios(dir: string): Promise<ScenarioSummary[]> {
  // Loaded here: finding a file must not cost loading the YAML parser and the schema.
  const [{ loadScenarioFile }, { scenarioVariables }] = await Promise.all([
    import('./load.js'),
    import('./vars.js'),
  ]);
  checkScenariosDir(dir);
  const out: ScenarioSummary[] = [];
  for (const f of scenarioFiles(dir)) {
    const file = join(dir, f);
    try {
      const doc = await loadScenarioFile(file);
      const title = (doc.source.description ?? '').trim().split('\n')[0] ?? '';
      out.push({ name: nameOf(f), file, title, variables: scenarioVariables(doc.source) });
    } catch (err) {
      if (!isLabError(err)) throw err;
      out.push({ name: nameOf(f), file, title: '', error: err });
    }
  }
  return out;
}
