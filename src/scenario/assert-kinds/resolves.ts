/** `resolves:` / `not_resolves:` a name does (not) resolve inside a container; `ping:` too. */
import * as f from '../formats.js';
import { defineKind } from './kind.js';

export const resolves = defineKind({
  keys: ['resolves'],
  companions: ['from', 'ping'],
  required: ['from'],
  shape: (h) => ({ resolves: h.str(f.dockerName).optional(), ping: h.bool().optional() }),
});

export const notResolves = defineKind({
  keys: ['not_resolves'],
  companions: ['from'],
  required: ['from'],
  shape: (h) => ({ not_resolves: h.str(f.dockerName).optional() }),
});
