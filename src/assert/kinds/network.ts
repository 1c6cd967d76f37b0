/** `network:` facts of a Docker network as the Engine reports them. */
import { checkNetwork, describeFacts } from '../network-fact.js';
import type { AssertionKindCheck } from './kind.js';

export const network: AssertionKindCheck<'network'> = {
  command: (a) => `docker network inspect ${a.network}`,
  claim: (a) => `network ${a.network} has ${describeFacts(a.has)}`,
  check: checkNetwork,
};
