/**
 * The schema half of an assertion kind (docs/architecture.md, "a new assertion kind"): the YAML keys
 * that name it, the keys that go with it, the ones it needs, and the zod shape of its own keys. The
 * keys several kinds share (host, container, from, has, reason) are in common.ts.
 */
import type { z } from 'zod';
import type { SchemaHelpers } from '../schema-helpers.js';

export interface AssertionKindSchema<Key extends string, Shape extends Record<string, z.ZodType>> {
  /** The YAML keys that name this kind (resolves has two: resolves and not_resolves). */
  keys: readonly Key[];
  /** The keys that may go with it besides its own and `reason`. */
  companions: readonly string[];
  /** Of those, the ones it must have. */
  required?: readonly string[];
  /** The facts its `has:` may name, and what they are facts of ("a network"). */
  has?: { fields: readonly string[]; of: string };
  /** Its own keys (and the companions no other kind has), every one optional. */
  shape(h: SchemaHelpers): Shape;
}

/** Keeps the shape's type for the schema's inference. */
export const defineKind = <const Key extends string, Shape extends Record<string, z.ZodType>>(
  k: AssertionKindSchema<Key, Shape>,
): AssertionKindSchema<Key, Shape> => k;
