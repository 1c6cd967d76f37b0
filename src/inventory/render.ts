import type { Inventory, InventoryHost, InventoryValue } from './model.js';

/**
 * `lab inventory`: the inventory as lab understood it, for a person (renderInventoryText) or a tool
 * (renderInventoryJson). Plain text, no colour, stable order: hosts and groups as declared.
 */
export function renderInventoryText(inventory: Inventory): string {
  const groups = Object.values(inventory.groups);
  const out: string[] = [
    `${inventory.file}: ${count(inventory.hosts.length, 'host')}, ${count(groups.length, 'group')}`,
    '',
  ];

  if (inventory.hosts.length === 0) {
    out.push('No hosts.');
  } else {
    out.push(
      ...table([
        ['HOST', 'ADDRESS', 'USER', 'BECOME', 'GROUPS'],
        ...inventory.hosts.map((h) => [
          h.name,
          endpoint(h),
          h.user ?? '(default)',
          h.become ? 'yes' : 'no',
          // Every host is in 'all'; listing it on each row says nothing.
          h.groups.filter((g) => g !== 'all').join(', '),
        ]),
      ]),
    );
  }

  out.push(
    '',
    ...table([
      ['GROUP', 'HOSTS', 'CHILDREN'],
      ...groups.map((g) => [
        g.name,
        g.name === 'all' ? '(every host)' : g.hosts.join(', ') || '-',
        g.children.join(', ') || '-',
      ]),
    ]),
  );

  out.push('', 'VARIABLES (all < parent groups < child groups < host)');
  const blocks: string[] = [];
  for (const g of groups) {
    const vars = Object.entries(g.vars);
    if (g.priority !== undefined && g.priority !== 1)
      vars.push(['ansible_group_priority', g.priority]);
    if (vars.length > 0)
      blocks.push(`[${g.name}:vars]`, ...vars.map(([k, v]) => `  ${k} = ${showValue(v)}`));
  }
  for (const h of inventory.hosts) {
    const vars = Object.entries(h.hostVars ?? {});
    if (vars.length > 0)
      blocks.push(`${h.name} (host)`, ...vars.map(([k, v]) => `  ${k} = ${showValue(v)}`));
  }
  out.push(...(blocks.length > 0 ? blocks : ['  (none)']));
  return `${out.join('\n')}\n`;
}

/** The parsed inventory as JSON: the Inventory type (src/inventory/model.ts), field for field. */
export function renderInventoryJson(inventory: Inventory): string {
  return `${JSON.stringify(inventory, null, 2)}\n`;
}

function endpoint(h: InventoryHost): string {
  return h.address.includes(':') ? `[${h.address}]:${h.port}` : `${h.address}:${h.port}`;
}

/**
 * A string as written when that is unambiguous, quoted when empty, padded with blanks or when it
 * would read as another type; numbers, booleans, null, lists and mappings as JSON.
 */
function showValue(value: InventoryValue): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return value === '' ||
    value !== value.trim() ||
    /[\r\n]/.test(value) ||
    /^(?:-?\d+(?:\.\d*)?|true|false|null)$/i.test(value)
    ? JSON.stringify(value)
    : value;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Left-aligned columns two spaces apart, without trailing blanks. */
function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
