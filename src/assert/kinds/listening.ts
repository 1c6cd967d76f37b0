/** `listening:` something on the host listens on a port. */
import { checkListening } from '../listening-fact.js';
import type { AssertionKindCheck } from './kind.js';

export const listening: AssertionKindCheck<'listening'> = {
  command: (a) => `ss ${a.protocol === 'udp' ? '-lunp' : '-ltnp'}`,
  claim: (a) =>
    `something${a.process ? ` (${a.process})` : ''} listens on ${a.protocol} port ${a.port}`,
  check: checkListening,
};
