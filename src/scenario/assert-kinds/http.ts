/** `http:` a GET from the machine running lab answers a status (and a body matching a pattern). */
import { z } from 'zod';
import * as f from '../formats.js';
import { defineKind } from './kind.js';

interface Http {
  kind: 'http';
  hosts: string[];
  port: number;
  path: string;
  status: number;
  body?: string;
}

export const http = defineKind({
  kind: 'http',
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
  resolve(a, t): Http {
    const r = a.http ?? { port: 0 };
    return {
      kind: 'http',
      hosts: t.hostsOr(t.hosts),
      port: r.port,
      path: r.path ?? '/',
      status: a.status ?? 200,
      ...(a.body !== undefined && { body: a.body }),
    };
  },
  checkedOn: (a) => a.hosts,
  plan: (
    a,
    base,
    t,
  ): typeof base &
    Omit<Http, 'hosts'> & {
      /** The host's inventory address: the request goes from the machine running lab. */
      address: string;
    } => ({
    ...base,
    kind: 'http',
    address: t.addressOf(base.host),
    port: a.port,
    path: a.path,
    status: a.status,
    ...(a.body !== undefined && { body: a.body }),
  }),
});
