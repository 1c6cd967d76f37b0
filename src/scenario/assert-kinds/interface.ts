/**
 * `interface:` an interface of a host or a container (by name, or a bridge network's bridge, whose
 * `veths:` are the containers' ports on it, as `brctl show` lists them).
 */
import { z } from 'zod';
import * as f from '../formats.js';
import { defineKind } from './kind.js';

export const iface = defineKind({
  keys: ['interface'],
  companions: ['host', 'container', 'has'],
  required: ['has'],
  has: { fields: ['address', 'up', 'promisc', 'veths'], of: 'an interface' },
  shape: (h) => ({
    interface: z
      .union([h.str(f.interfaceName), z.strictObject({ bridge_of: h.str(f.dockerName) })])
      .describe('an interface name like eth0.1, or {bridge_of: NET}')
      .optional(),
  }),
});
