/** `http:` a GET from the machine running lab answers a status (and a body matching a pattern). */
import { z } from 'zod';
import * as f from '../formats.js';
import { defineKind } from './kind.js';

export const http = defineKind({
  keys: ['http'],
  companions: ['host', 'status', 'body'],
  shape: (h) => ({
    http: z
      .strictObject({ port: h.port(), path: h.str(f.httpPath).optional() })
      .describe('a mapping {port: 80, path: /}')
      .optional(),
    status: z.number().int().min(100).max(599).describe('an HTTP status like 200').optional(),
    body: h.str(f.pattern).optional(),
  }),
});
