/** `resolves:` / `not_resolves:` a name does (not) resolve inside a container (and answers a ping). */
import { checkResolve } from '../resolve-fact.js';
import type { AssertionKindCheck } from './kind.js';

export const resolves: AssertionKindCheck<'resolves'> = {
  command: (a) =>
    `docker exec ${a.container} nslookup ${a.name}${a.ping ? `; docker exec ${a.container} ping -c 1 -W 1 ${a.name}` : ''}`,
  claim: (a) =>
    a.resolve
      ? `${a.name} resolves${a.ping ? ' and answers a ping by name' : ''}`
      : `${a.name} does not resolve`,
  check: checkResolve,
};
