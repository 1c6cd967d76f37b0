/** The keys assertion kinds share: where (host, container, from), what must hold (has), why. */
import { z } from 'zod';
import * as f from '../formats.js';
import { DRIVERS, type SchemaHelpers } from '../schema-helpers.js';

export function commonShape(h: SchemaHelpers) {
  const { str, address, bool } = h;
  const net = () => str(f.dockerName);
  const interfaceAddress = z
    .union([
      str(f.ipv4WithOptionalPrefix),
      z.strictObject({ gateway_of: net() }),
      z.strictObject({ in: net() }),
    ])
    .describe('an address like 172.20.0.1/24, or {gateway_of: NET}, or {in: NET}');
  const has = z
    .strictObject({
      driver: z.enum(DRIVERS).optional(),
      subnet: str(f.cidr4).optional(),
      gateway: address.optional(),
      parent: str(f.interfaceName).optional(),
      scope: z.enum(['local', 'swarm']).optional(),
      attachable: bool().optional(),
      address: interfaceAddress.optional(),
      up: bool().optional(),
      promisc: bool().optional(),
      veths: z
        .array(net())
        .describe('a list of container names whose veths are ports of the bridge')
        .optional(),
    })
    .describe('a mapping of the facts that must hold');
  return {
    host: h.selectorsOf(true).optional(),
    container: net().optional(),
    from: net().optional(),
    has: has.optional(),
    reason: str(f.reasonText),
    seed: h.seed.optional(),
  };
}
