import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { LabError } from '../common/errors.js';
import { engineSpecSchema } from './engine/spec.js';

/**
 * state.json: everything `up` made that `down`, `status` and the rest of lab need. Parsed with zod
 * because a crash or an older version may leave anything in it; a file that does not parse is
 * "stale", and the box then cleans up by prefix instead.
 */
const processSchema = z.object({
  pid: z.number().int().positive(),
  /** /proc/PID/stat field 22: with the pid, identifies the process even if the pid is reused. */
  startTime: z.number().int().nonnegative(),
});

const interfaceSchema = z.object({
  name: z.string(),
  rootPeer: z.string(),
  bridge: z.string(),
  address: z.string().optional(),
  up: z.boolean(),
  standIn: z.string().optional(),
});

const hostSchema = z.object({
  index: z.number().int().positive(),
  name: z.string(),
  netns: z.string(),
  cgroup: z.string(),
  address: z.string(),
  dir: z.string(),
  interfaces: z.array(interfaceSchema),
  docker: z.object({ bip: z.string(), poolBase: z.string(), poolSize: z.number().int() }),
  anchor: processSchema,
  sshd: processSchema,
  dockerd: processSchema,
  /** The host's Docker socket from the machine, without SSH: /proc/ANCHOR/root/run/docker.sock. */
  dockerSocket: z.string(),
  /** The same socket as seen inside the host (and over SSH): /run/docker.sock. */
  dockerSocketInHost: z.string(),
  /** argv prefix that runs a program inside the host (nsenter into the anchor's namespaces). */
  nsenter: z.array(z.string()),
  hostKeyPublic: z.string(),
  dockerId: z.string(),
  dockerVersion: z.string(),
  /** The jump host this host sits behind (`lab box up --behind`): not reachable from the machine. */
  behind: z.string().optional(),
  /** The engine asked for with `lab box up --engine`; absent: the machine's own dockerd. */
  engine: engineSpecSchema.optional(),
  /** `lab box up --harden`: sshd without forwarding, labuser without the docker group (host/harden.ts). */
  hardened: z.boolean().optional(),
});

const bridgeSchema = z.object({
  name: z.string(),
  address: z.string().optional(),
  purpose: z.string(),
});

export const boxStateSchema = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  stateDir: z.string(),
  inventory: z.string(),
  knownHosts: z.string(),
  clientKey: z.string(),
  image: z.string(),
  bridges: z.array(bridgeSchema),
  /** iptables rules we added, as `iptables` arguments after the chain operation. */
  firewallRules: z.array(z.array(z.string())),
  hosts: z.array(hostSchema).min(1),
  standIns: z.array(
    z.object({ interface: z.string(), bridge: z.string(), description: z.string() }),
  ),
});

export type BoxState = z.infer<typeof boxStateSchema>;
export type BoxHostState = z.infer<typeof hostSchema>;
export type ProcessRef = z.infer<typeof processSchema>;

export type StateRead =
  { kind: 'absent' } | { kind: 'stale'; reason: string } | { kind: 'present'; state: BoxState };

export function parseBoxState(text: string): StateRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { kind: 'stale', reason: `not JSON: ${(err as Error).message}` };
  }
  const parsed = boxStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'stale',
      reason: `${issue?.path.join('.') || 'state'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return { kind: 'present', state: parsed.data };
}

export function serializeBoxState(state: BoxState): string {
  return JSON.stringify(state, null, 2) + '\n';
}

export async function readStateFile(file: string): Promise<StateRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw new LabError(
      'prerequisite',
      `cannot read the box state ${file}`,
      { file },
      { cause: err },
    );
  }
  return parseBoxState(text);
}

/** Written via a temporary file and rename, so a reader never sees half a state. */
export async function writeStateFile(file: string, state: BoxState): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, serializeBoxState(state), { mode: 0o600 });
  await rename(temporary, file);
}
