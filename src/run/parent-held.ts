import { LabError } from '../common/errors.js';
import {
  listedHolder,
  parentHolderOf,
  unlistedHolderError,
  type ParentHolder,
} from '../docker/parent-in-use.js';
import type { HostSession } from '../host/session.js';
import { LABEL } from '../plan/labels.js';

/**
 * A network create Docker refused because its parent interface is held: by a network it lists (named,
 * with its owner), or by one only its driver remembers after a crash (unlistedHolderError). Any
 * other failure is returned as it was.
 */
export async function explainParentHeld(session: HostSession, err: unknown): Promise<unknown> {
  const holder = err instanceof Error ? parentHolderOf(err.message) : undefined;
  if (!holder) return err;
  const listed = await listedHolder(session.docker, holder).catch(() => undefined);
  if (!listed) return unlistedHolderError(session.host, holder, err);
  const owner = listed.labels[LABEL.scenario];
  return new LabError(
    'host',
    `network ${listed.name} (${owner ? `lab's, of scenario ${owner}` : 'not made by lab'}) already uses parent ${holder.parent} on ${session.host}; Docker allows one ${holder.driver} network per parent interface`,
    { host: session.host },
    { cause: err },
  );
}

/** Trial networks of `lab down` carry this kind: a crashed down leaves one only labelled. */
export const PARENT_CHECK_KIND = 'parent-check';

/**
 * After an engine restart, whether each parent is free for a macvlan network: one is made and
 * removed at once, labelled as lab's. A refusal naming a network Docker does not list is what a crash
 * mid-create left (parent-in-use.ts); a listed holder, or any other refusal, is not judged here.
 */
export async function unlistedParentHolders(
  session: HostSession,
  scenario: string,
  parents: readonly string[],
): Promise<ParentHolder[]> {
  const listed = await session.docker.listNetworks();
  const used = new Set(
    listed.flatMap((n) => (n.options['parent'] !== undefined ? [n.options['parent']] : [])),
  );
  const held: ParentHolder[] = [];
  for (const parent of parents.filter((p) => !used.has(p))) {
    try {
      const id = await session.docker.createNetwork({
        name: `lab-parent-check-${parent}`,
        driver: 'macvlan',
        options: { parent },
        labels: {
          [LABEL.managed]: 'true',
          [LABEL.scenario]: scenario,
          [LABEL.kind]: PARENT_CHECK_KIND,
        },
      });
      await session.docker.removeNetwork(id);
    } catch (err) {
      const holder = err instanceof Error ? parentHolderOf(err.message) : undefined;
      if (holder && !listed.some((n) => n.id.startsWith(holder.id))) held.push(holder);
    }
  }
  return held;
}
