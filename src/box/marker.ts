import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * Machine paths that the box's programs create outside the state directory: `ip netns add` makes
 * /run/netns (and a mount point of it), containerd makes the empty /opt/containerd/{bin,lib}, a podman
 * host's image import makes /var/lib/containers/cache (PODMAN_CACHE_FILES). `up` records whether each
 * existed before; `down` removes the ones that did not, if they are still empty.
 */
export const WATCHED_PATHS = ['/run/netns', '/opt/containerd', '/var/lib/containers'] as const;

/** The files podman's image import leaves in /var/lib/containers whatever its --root (podman 4.3). */
export const PODMAN_CACHE_FILES = ['/var/lib/containers/cache/blob-info-cache-v1.boltdb'] as const;

/**
 * The state directory's marker, written first thing by `up`: it proves the directory is the box's (so
 * `down` may delete it) and remembers what the machine looked like before, also for a `down` after a
 * crash that never wrote state.json.
 */
const markerSchema = z.object({
  createdBy: z.literal('lab box up'),
  startedAt: z.string(),
  preexisting: z.record(z.string(), z.boolean()),
});

export type Marker = z.infer<typeof markerSchema>;

export async function writeMarker(file: string, marker: Omit<Marker, 'createdBy'>): Promise<void> {
  await writeFile(file, JSON.stringify({ createdBy: 'lab box up', ...marker }, null, 2) + '\n', {
    mode: 0o600,
  });
}

/** undefined when absent; a marker that does not parse still marks the directory as ours. */
export async function readMarker(file: string): Promise<Marker | 'unreadable' | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return markerSchema.parse(JSON.parse(text));
  } catch {
    return 'unreadable';
  }
}
