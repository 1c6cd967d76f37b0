/** `listening:` something on the host listens on a port (optionally a named process). */
import { z } from 'zod';
import * as f from '../formats.js';
import { defineKind } from './kind.js';

interface Listening {
  kind: 'listening';
  hosts: string[];
  port: number;
  protocol: 'tcp' | 'udp';
  process?: string;
}

export const listening = defineKind({
  kind: 'listening',
  keys: ['listening'],
  companions: ['host', 'process'],
  shape: (h) => ({
    listening: z
      .strictObject({ port: h.port(), protocol: z.enum(['tcp', 'udp']).optional() })
      .describe('a mapping {port: 80, protocol: tcp}')
      .optional(),
    process: h.str(f.processName).optional(),
  }),
  resolve(a, t): Listening {
    const l = a.listening ?? { port: 0 };
    return {
      kind: 'listening',
      hosts: t.hostsOr(t.hosts),
      port: l.port,
      protocol: l.protocol ?? 'tcp',
      ...(a.process !== undefined && { process: a.process }),
    };
  },
  checkedOn: (a) => a.hosts,
  plan: (a, base): typeof base & Omit<Listening, 'hosts'> => ({
    ...base,
    kind: 'listening',
    port: a.port,
    protocol: a.protocol,
    ...(a.process !== undefined && { process: a.process }),
  }),
});
