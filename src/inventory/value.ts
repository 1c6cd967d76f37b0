/**
 * A variable's value as Ansible holds it after reading an inventory: what Python's literal_eval or a
 * YAML 1.1 loader gives, limited to what JSON can carry (`ansible-inventory --list` prints JSON).
 */
export type InventoryValue =
  string | number | boolean | null | InventoryValue[] | { [key: string]: InventoryValue };

/**
 * A value as text, for places that need a string (scenario variables, a probe image): strings as they
 * are, numbers and booleans as JSON writes them, lists and mappings as JSON.
 */
export function valueText(value: InventoryValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A plain record without a prototype, so that a key named `constructor` or `__proto__` is just a key. */
export function record<T>(entries: Iterable<[string, T]> = []): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) out[key] = value;
  return out;
}
