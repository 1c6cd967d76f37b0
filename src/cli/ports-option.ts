/** `lab check connectivity --ports`: which port cells to derive. */
import { LabError } from '../common/errors.js';
import type { PortSpec } from '../common/port.js';
import type { PortSelection } from '../probe/port-targets.js';

export const PORTS_HELP =
  'Port cells to derive: all (ports containers listen on, and published ports), listening, published, none, or a comma list of ports (5432,53/udp), alone or beside a word (published,8080)';

export function parsePortsFlag(value: string | undefined): PortSelection {
  const words = (value ?? 'all')
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '');
  let listening = false;
  let published = false;
  const only: PortSpec[] = [];
  for (const w of words) {
    if (w === 'all') [listening, published] = [true, true];
    else if (w === 'listening') listening = true;
    else if (w === 'published') published = true;
    else if (w === 'none') continue;
    else only.push(portOf(w, value ?? ''));
  }
  if (words.includes('none') && words.length > 1) {
    throw bad(value ?? '', 'none cannot be combined with anything else');
  }
  // Ports alone: looked for wherever they are, listened on or published.
  if (only.length > 0 && !listening && !published) [listening, published] = [true, true];
  return { listening, published, ...(only.length > 0 && { only }) };
}

function portOf(word: string, value: string): PortSpec {
  const m = /^(\d{1,5})(?:\/(tcp|udp))?$/.exec(word);
  const port = Number(m?.[1]);
  if (!m || port < 1 || port > 65535) {
    throw bad(value, `"${word}" is neither a word (all, listening, published, none) nor a port`);
  }
  return { port, protocol: (m[2] as 'tcp' | 'udp' | undefined) ?? 'tcp' };
}

function bad(value: string, why: string): LabError {
  return new LabError('input', `--ports ${JSON.stringify(value)}: ${why}`, {
    hint: 'e.g. --ports all (the default), --ports none, --ports published, --ports 5432,53/udp',
  });
}
