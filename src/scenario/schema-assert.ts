/**
 * The schema of `assert:` (claims beyond ping: an operation Docker must refuse, facts read from a
 * host, an HTTP answer, name resolution) and of `swarm:`. See docs/scenario-format.md.
 *
 * An assertion is one mapping with exactly one *kind* key (fails, network, interface, iptables,
 * listening, http, resolves, not_resolves) and the keys that go with it. It is one strict object with
 * the cross-key rules checked afterwards, rather than a union of shapes: a mistake then gets one
 * precise message ("rule goes with iptables only") instead of every shape's complaint. Each kind's
 * keys and rules are its own module in assert-kinds/ (one registry line in assert-kinds/index.ts, KIND_DEFS).
 */
import { z } from 'zod';
import * as f from './formats.js';
import type { SchemaHelpers } from './schema-helpers.js';
import { commonShape } from './assert-kinds/common.js';
import { KIND_DEFS } from './assert-kinds/index.js';
import type { AnyKindDef } from './assert-kinds/kind.js';

type KindSchema = (typeof KIND_DEFS)[number];
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
type KindShapes = Intersection<ReturnType<KindSchema['shape']>>;

export const ASSERTION_KINDS: readonly AssertionKindKey[] = KIND_DEFS.flatMap((k) => k.keys);
/** The YAML key that names an assertion's kind. */
export type AssertionKindKey = KindSchema['keys'][number];

export function swarmSchema(h: SchemaHelpers) {
  return z
    .strictObject({
      manager: h.str(f.hostSelector).optional(),
      address_pool: h.str(f.cidr4).optional(),
      pool_size: z
        .number()
        .int()
        .min(16)
        .max(28)
        .describe('a prefix length from 16 to 28')
        .optional(),
    })
    .describe('a mapping {manager: HOST, address_pool: CIDR, pool_size: 24}');
}

export function assertionSchema(h: SchemaHelpers) {
  const kinds = Object.assign({}, ...KIND_DEFS.map((k) => k.shape(h))) as KindShapes;
  return z
    .strictObject({ ...kinds, ...commonShape(h) })
    .superRefine((a, ctx) => checkKindKeys(KIND_DEFS, a as Record<string, unknown>, ctx));
}

/**
 * The schema of an assertion over any list of kinds (a test's list with a toy kind): the shape is
 * not inferred, but the keys and rules are those of `defs`.
 */
export function assertionSchemaOf(h: SchemaHelpers, defs: readonly AnyKindDef[]) {
  const kinds = Object.assign({}, ...defs.map((k) => k.shape(h))) as Record<string, z.ZodType>;
  return z
    .strictObject({ ...kinds, ...commonShape(h) })
    .superRefine((a, ctx) => checkKindKeys(defs, a as Record<string, unknown>, ctx));
}

/** Exactly one kind key; only its companions beside it; the ones it needs; `has:` facts it knows. */
function checkKindKeys(
  defs: readonly AnyKindDef[],
  a: Record<string, unknown>,
  ctx: z.RefinementCtx,
): void {
  const present = (k: string) => a[k] !== undefined;
  const all = defs.flatMap((k) => k.keys);
  const kinds = all.filter(present);
  const [key] = kinds;
  const kind = defs.find((k) => key !== undefined && (k.keys as readonly string[]).includes(key));
  if (key === undefined || kind === undefined || kinds.length > 1) {
    const message = `give exactly one of ${all.join(', ')}${kinds.length > 1 ? ` (got ${kinds.join(' and ')})` : ''}`;
    ctx.addIssue({ code: 'custom', message });
    return;
  }
  const allowed = new Set<string>([key, 'reason', 'seed', ...kind.companions]);
  for (const k of Object.keys(a)) {
    if (!present(k) || allowed.has(k)) continue;
    const message = `${k} does not go with ${key} (with ${key}: ${[...allowed].join(', ')})`;
    ctx.addIssue({ code: 'custom', message, path: [k], params: { at: 'key' } });
  }
  for (const k of kind.required ?? []) {
    if (!present(k)) ctx.addIssue({ code: 'custom', message: `${key} needs ${k}:` });
  }
  const has = kind.has;
  const given = a['has'] as Record<string, unknown> | undefined;
  if (has && given) {
    for (const k of Object.keys(given)) {
      if (has.fields.includes(k)) continue;
      const message = `${k} is not a fact of ${has.of} (facts: ${has.fields.join(', ')})`;
      ctx.addIssue({ code: 'custom', message, path: ['has', k], params: { at: 'key' } });
    }
    if (Object.keys(given).length === 0) {
      ctx.addIssue({ code: 'custom', message: 'has: names no fact', path: ['has'] });
    }
  }
}
