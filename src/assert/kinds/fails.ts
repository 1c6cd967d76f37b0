/** `fails:` an operation Docker must refuse, with a message matching a pattern. */
import type { StaticAddress } from '../../scenario/model-assert.js';
import { checkFails, opCommand } from '../expected-error.js';
import type { AssertionKindCheck } from './kind.js';

const staticAddress = (network: string, a: StaticAddress | undefined) =>
  a === undefined ? undefined : 'ipv4' in a ? a.ipv4 : `<host ${a.hostNumber} of ${network}>`;

export const fails: AssertionKindCheck<'fails'> = {
  refusal: true,
  command(a) {
    const op = a.op;
    const addresses =
      op.op === 'run'
        ? op.networks.map((n) =>
            staticAddress(
              n.network,
              'ipv4' in n || 'hostNumber' in n ? (n as StaticAddress) : undefined,
            ),
          )
        : op.op === 'connect'
          ? [staticAddress(op.network, op.address)]
          : [];
    return opCommand(op, a.labels, addresses);
  },
  claim: (a) => `Docker refuses it, with a message matching /${a.message}/`,
  check: checkFails,
};
