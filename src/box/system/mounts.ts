import { readFile } from 'node:fs/promises';

/** Decodes the octal escapes (\040 for a space …) mountinfo uses in paths. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}

/** Mount points from /proc/self/mountinfo (field 5). */
export function parseMountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined && point !== '')
    .map(unescapeMountPath);
}

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(mountPoints: readonly string[], dir: string): string[] {
  const base = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  return mountPoints
    .filter((point) => point === base || point.startsWith(`${base}/`))
    .sort((a, b) => b.length - a.length);
}

export async function machineMountPoints(): Promise<string[]> {
  return parseMountPoints(await readFile('/proc/self/mountinfo', 'utf8'));
}
