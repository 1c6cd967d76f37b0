import { access, constants, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../common/errors.js';
import { isStaticElf } from './image/elf.js';

/** The Debian/Ubuntu packages that give the box everything it runs. */
export const INSTALL_PACKAGES = [
  'docker.io',
  'openssh-server',
  'busybox-static',
  'iproute2',
  'iptables',
  'sudo',
  // `lab box up --engine HOST=podman` (src/box/engine/podman.ts): podman, conmon, netavark, aardvark-dns.
  'podman',
] as const;

export function installCommand(extraPackages: readonly string[] = []): string {
  return `apt-get update && apt-get install -y ${[...INSTALL_PACKAGES, ...extraPackages].join(' ')}`;
}

/** Every program the box runs, and the package that brings it. */
export const REQUIRED_PROGRAMS = {
  dockerd: 'docker.io',
  containerd: 'docker.io',
  'containerd-shim-runc-v2': 'docker.io',
  runc: 'docker.io',
  'docker-proxy': 'docker.io',
  sshd: 'openssh-server',
  'ssh-keygen': 'openssh-server',
  busybox: 'busybox-static',
  ip: 'iproute2',
  iptables: 'iptables',
  nsenter: 'util-linux',
  unshare: 'util-linux',
  // The hosts' login user runs NIC changes through it (ansible_become).
  sudo: 'sudo',
} as const;

export type ProgramName = keyof typeof REQUIRED_PROGRAMS;
/** Absolute paths of the programs, found once. */
export type Programs = Record<ProgramName, string>;

/** Finds a program on the search path; undefined when it is not there. */
export type FindProgram = (name: string) => Promise<string | undefined>;

export function programFinder(searchPath: readonly string[]): FindProgram {
  return async (name) => {
    for (const dir of searchPath) {
      const candidate = join(dir, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this directory
      }
    }
    return undefined;
  };
}

export interface PrerequisiteFacts {
  isRoot: boolean;
  found: Partial<Programs>;
  /** undefined when busybox is missing altogether. */
  busyboxIsStatic?: boolean;
}

/** Pure: turns the facts into either the programs or ONE error that lists everything missing. */
export function judgePrerequisites(facts: PrerequisiteFacts): Programs {
  const problems: string[] = [];
  const packages = new Set<string>();
  if (!facts.isRoot)
    problems.push('not root: the box creates namespaces, bridges and daemons (run it with sudo)');
  const missing = (Object.keys(REQUIRED_PROGRAMS) as ProgramName[]).filter(
    (name) => !facts.found[name],
  );
  if (missing.length > 0) problems.push(`missing programs: ${missing.join(', ')}`);
  for (const name of missing) packages.add(REQUIRED_PROGRAMS[name]);
  if (facts.busyboxIsStatic === false) {
    problems.push(
      `${facts.found.busybox} is dynamically linked; the image needs busybox-static's binary`,
    );
    packages.add('busybox-static');
  }
  if (problems.length === 0) return facts.found as Programs;
  const extra = [...packages].filter(
    (name) => !(INSTALL_PACKAGES as readonly string[]).includes(name),
  );
  throw new LabError(
    'prerequisite',
    `the box cannot run on this machine:\n  - ${problems.join('\n  - ')}`,
    {
      hint:
        packages.size > 0
          ? `install them with: sudo sh -c '${installCommand(extra)}' (or: sudo lab box install)`
          : 'run lab as root',
    },
  );
}

export async function checkPrerequisites(isRoot: boolean, find: FindProgram): Promise<Programs> {
  const names = Object.keys(REQUIRED_PROGRAMS) as ProgramName[];
  const paths = await Promise.all(names.map((name) => find(name)));
  const found: Partial<Programs> = {};
  names.forEach((name, i) => {
    if (paths[i]) found[name] = paths[i];
  });
  let busyboxIsStatic: boolean | undefined;
  if (found.busybox) {
    busyboxIsStatic = isStaticElf(await readFile(found.busybox).catch(() => Buffer.alloc(0)));
  }
  return judgePrerequisites({
    isRoot,
    found,
    ...(busyboxIsStatic === undefined ? {} : { busyboxIsStatic }),
  });
}
