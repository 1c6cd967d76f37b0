/** `network:` facts of a Docker network (driver, subnet, gateway, parent, scope, attachable). */
import * as f from '../formats.js';
import { defineKind } from './kind.js';

export const network = defineKind({
  keys: ['network'],
  companions: ['host', 'has'],
  required: ['has'],
  has: {
    fields: ['driver', 'subnet', 'gateway', 'parent', 'scope', 'attachable'],
    of: 'a network',
  },
  shape: (h) => ({ network: h.str(f.dockerName).optional() }),
});
