/** `listening:` something on the host listens on a port (optionally a named process). */
import { z } from 'zod';
import * as f from '../formats.js';
import { defineKind } from './kind.js';

export const listening = defineKind({
  keys: ['listening'],
  companions: ['host', 'process'],
  shape: (h) => ({
    listening: z
      .strictObject({ port: h.port(), protocol: z.enum(['tcp', 'udp']).optional() })
      .describe('a mapping {port: 80, protocol: tcp}')
      .optional(),
    process: h.str(f.processName).optional(),
  }),
});
