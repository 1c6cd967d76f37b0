/** `fails:` an operation (run, create_network, connect) Docker must refuse, with a message. */
import { z } from 'zod';
import * as f from '../formats.js';
import { DRIVERS } from '../schema-helpers.js';
import { defineKind } from './kind.js';

export const fails = defineKind({
  keys: ['fails'],
  companions: ['host', 'message'],
  required: ['message'],
  shape(h) {
    const { str, address, attachment, bool } = h;
    const net = () => str(f.dockerName);
    const run = z.strictObject({
      name: net(),
      image: str(f.imageRef).optional(),
      networks: z.array(attachment).min(1).describe('a list of networks'),
      command: z.array(str(f.text)).min(1).describe('a list of arguments').optional(),
      publish: z.array(str(f.publishSpec)).describe('a list of port mappings').optional(),
    });
    const createNetwork = z.strictObject({
      name: net(),
      driver: z.enum(DRIVERS),
      subnet: str(f.cidr4).optional(),
      gateway: address.optional(),
      parent: str(f.interfaceName).optional(),
      options: h.keyedRecord(f.optionName, str(f.text), 'a mapping of driver options').optional(),
      attachable: bool().optional(),
      internal: bool().optional(),
    });
    const connect = z.strictObject({ network: net(), container: net(), ip: address.optional() });
    const operation = z
      .strictObject({
        run: run.optional(),
        create_network: createNetwork.optional(),
        connect: connect.optional(),
      })
      .superRefine((v, ctx) => {
        const given = Object.keys(v).filter((k) => v[k as keyof typeof v] !== undefined);
        if (given.length !== 1) {
          const message = `give exactly one operation: run, create_network or connect${given.length > 1 ? ` (got ${given.join(', ')})` : ''}`;
          ctx.addIssue({ code: 'custom', message });
        }
      })
      .describe('a mapping with one of run, create_network, connect');
    return { fails: operation.optional(), message: str(f.pattern).optional() };
  },
});
