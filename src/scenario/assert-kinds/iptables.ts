/** `iptables:` a rule in a table (and chain) of the host's iptables. */
import { z } from 'zod';
import * as f from '../formats.js';
import { defineKind } from './kind.js';

export const iptables = defineKind({
  keys: ['iptables'],
  companions: ['host', 'rule'],
  required: ['rule'],
  shape(h) {
    const { str, port } = h;
    const net = () => str(f.dockerName);
    const subnetRef = z
      .union([str(f.cidrOrIPv4), z.strictObject({ subnet_of: net() })])
      .describe('a subnet like 172.20.0.0/24, or {subnet_of: NET}');
    const rule = z
      .strictObject({
        target: str(f.chainName),
        source: subnetRef.optional(),
        destination: subnetRef.optional(),
        protocol: z.enum(['tcp', 'udp', 'icmp']).optional(),
        dport: port().optional(),
        to: z
          .strictObject({ container: net(), network: net().optional(), port: port() })
          .describe('{container: NAME, network: NET, port: 80}')
          .optional(),
      })
      .describe('a mapping {target: MASQUERADE, source: …} describing the rule');
    return {
      iptables: z
        .strictObject({
          table: z.enum(['filter', 'nat', 'mangle', 'raw']),
          chain: str(f.chainName).optional(),
        })
        .describe('a mapping {table: nat, chain: POSTROUTING}')
        .optional(),
      rule: rule.optional(),
    };
  },
});
