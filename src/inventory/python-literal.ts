import type { InventoryValue } from './value.js';

/**
 * Python's ast.literal_eval, as Ansible's INI plugin applies it to every value (`_parse_value`):
 * a value that is a Python literal becomes that literal, anything else stays the text it was.
 * Numbers (int, float, 0x/0o/0b, `_` separators), strings (quotes, r/u/b prefixes, escapes,
 * adjacent strings joined), True/False/None, lists, tuples (as lists) and dicts are read. Literals
 * that JSON cannot carry (sets, complex numbers, bytes inside a container) and `\N{name}` escapes
 * are kept as text; ansible-inventory fails on the former (docs/inventory.md).
 */
export function evalPythonLiteral(text: string): InventoryValue | undefined {
  try {
    const tokens = tokenize(text.replace(/^[ \t]+/, ''));
    const parser = new Parser(tokens);
    const node = parser.expression();
    parser.expectEnd();
    return node.value;
  } catch (err) {
    if (err instanceof NotLiteral) return undefined;
    throw err;
  }
}

/** The text is not a literal Python (or lab) can read: the caller keeps it as a string. */
class NotLiteral extends Error {}
const notLiteral = (): never => {
  throw new NotLiteral();
};

type Token =
  | { kind: 'num'; value: number; float: boolean }
  | { kind: 'str'; value: string; bytes: boolean; fstring: boolean }
  | { kind: 'name'; text: string }
  | { kind: 'op'; text: string }
  | { kind: 'end' };

const DIGITS = String.raw`\d(?:_?\d)*`;
const EXPONENT = String.raw`[eE][+-]?${DIGITS}`;
const POINT_FLOAT = String.raw`(?:(?:${DIGITS})?\.${DIGITS}|${DIGITS}\.)`;
const FLOAT = String.raw`(?:${POINT_FLOAT}(?:${EXPONENT})?|${DIGITS}${EXPONENT})`;
const NUMBER = new RegExp(
  String.raw`(?<imag>(?:${FLOAT}|${DIGITS})[jJ])|(?<float>${FLOAT})|(?<hex>0[xX](?:_?[0-9a-fA-F])+)|(?<oct>0[oO](?:_?[0-7])+)|(?<bin>0[bB](?:_?[01])+)|(?<dec>${DIGITS})`,
  'y',
);
const STRING_START =
  /(?<prefix>[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF]|[rRuUbBfF])?(?<quote>'''|"""|'|")/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPS = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '+', '-']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\f') {
      i += 1;
    } else if (c === '#') {
      break;
    } else if (/[0-9.]/.test(c) && matchAt(NUMBER, text, i)) {
      const m = matchAt(NUMBER, text, i) ?? notLiteral();
      tokens.push(numberToken(m));
      i += m[0].length;
      if (/[A-Za-z0-9_]/.test(text[i] ?? '')) notLiteral();
    } else if (matchAt(STRING_START, text, i)) {
      const { token, end } = readString(text, i);
      tokens.push(token);
      i = end;
    } else if (matchAt(NAME, text, i)) {
      const m = matchAt(NAME, text, i) ?? notLiteral();
      tokens.push({ kind: 'name', text: m[0] });
      i += m[0].length;
    } else if (OPS.has(c)) {
      tokens.push({ kind: 'op', text: c });
      i += 1;
    } else {
      notLiteral();
    }
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

function numberToken(m: RegExpExecArray): Token {
  const g = m.groups ?? {};
  const text = m[0].replaceAll('_', '');
  if (g['imag'] !== undefined) notLiteral(); // complex: JSON cannot carry it
  if (g['float'] !== undefined) return { kind: 'num', value: Number(text), float: true };
  if (g['hex'] !== undefined)
    return { kind: 'num', value: parseInt(text.slice(2), 16), float: false };
  if (g['oct'] !== undefined)
    return { kind: 'num', value: parseInt(text.slice(2), 8), float: false };
  if (g['bin'] !== undefined)
    return { kind: 'num', value: parseInt(text.slice(2), 2), float: false };
  // Python refuses leading zeros in a decimal integer (`01`), but not `00`.
  if (/^0+[1-9]/.test(text)) notLiteral();
  return { kind: 'num', value: Number(text), float: false };
}

function readString(text: string, start: number): { token: Token; end: number } {
  const m = matchAt(STRING_START, text, start) ?? notLiteral();
  const prefix = (m.groups?.['prefix'] ?? '').toLowerCase();
  const quote = m.groups?.['quote'] ?? '';
  const bodyStart = start + m[0].length;
  let i = bodyStart;
  for (;;) {
    if (i >= text.length) notLiteral();
    if (text[i] === '\\') i += 2;
    else if (text.startsWith(quote, i)) break;
    else i += 1;
  }
  const body = text.slice(bodyStart, i);
  const bytes = prefix.includes('b');
  const value = prefix.includes('r') ? body : decodeEscapes(body, bytes);
  // eslint-disable-next-line no-control-regex
  if (bytes && /[^\x00-\x7f]/.test(body)) notLiteral();
  return {
    token: { kind: 'str', value, bytes, fstring: prefix.includes('f') },
    end: i + quote.length,
  };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Python's backslash escapes in a non-raw string (in bytes, \u, \U and \N are not escapes). */
function decodeEscapes(body: string, bytes: boolean): string {
  return body.replace(
    /\\(?:([0-7]{1,3})|x(.{0,2})|u(.{0,4})|U(.{0,8})|N|([\s\S]))/g,
    (all: string, oct?: string, x?: string, u?: string, bigU?: string, other?: string) => {
      if (oct !== undefined) return String.fromCharCode(parseInt(oct, 8));
      if (x !== undefined) return hexChar(x, 2);
      if (bytes && (u !== undefined || bigU !== undefined || all === '\\N')) return all;
      if (u !== undefined) return hexChar(u, 4);
      if (bigU !== undefined) return hexChar(bigU, 8);
      if (other === undefined) return notLiteral(); // \N{name}: no Unicode name table here
      return SIMPLE_ESCAPES[other] ?? all;
    },
  );
}

function hexChar(digits: string, width: number): string {
  if (digits.length !== width || !/^[0-9a-fA-F]+$/.test(digits)) notLiteral();
  const code = parseInt(digits, 16);
  if (code > 0x10ffff) notLiteral();
  return String.fromCodePoint(code);
}

/** What a piece of the expression is, as far as literal_eval's rules care. */
interface Node {
  value: InventoryValue;
  /** A plain number constant (int or float, not bool): the only thing a sign may apply to. */
  number?: { float: boolean };
  /** A signed number (UnaryOp): itself a value, but not something a second sign may apply to. */
  signed?: boolean;
  /** A tuple: allowed as a dict key by Python, but JSON cannot carry it as one. */
  tuple?: boolean;
  /** A bytes literal: decoded to text at the top level (Ansible's to_text), unprintable inside a container. */
  bytes?: boolean;
}

/** Python's tokenizer refuses more nested brackets than this. */
const MAX_BRACKETS = 200;

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.at] ?? { kind: 'end' };
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  private take(text: string): void {
    if (!this.isOp(text)) notLiteral();
    this.at += 1;
  }

  expectEnd(): void {
    if (this.peek().kind !== 'end') notLiteral();
  }

  expression(): Node {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '+' || t.text === '-')) {
      this.at += 1;
      const operand = this.expression();
      if (!operand.number || operand.signed) notLiteral();
      const n = operand.value as number;
      return {
        value: t.text === '-' ? -n : n,
        number: { float: operand.number?.float ?? false },
        signed: true,
      };
    }
    const node = this.atom();
    // A binary + or - is a literal only as real ± complex, which JSON cannot carry.
    if (this.isOp('+') || this.isOp('-')) notLiteral();
    return node;
  }

  private atom(): Node {
    const t = this.peek();
    this.at += 1;
    if (t.kind === 'num') return { value: t.value, number: { float: t.float } };
    if (t.kind === 'str') return this.strings(t);
    if (t.kind === 'name') return this.name(t.text);
    if (t.kind === 'op' && t.text === '(') return this.nested(() => this.parenthesized());
    if (t.kind === 'op' && t.text === '[') return this.nested(() => this.list());
    if (t.kind === 'op' && t.text === '{') return this.nested(() => this.dict());
    return notLiteral();
  }

  private nested(read: () => Node): Node {
    this.depth += 1;
    if (this.depth > MAX_BRACKETS) notLiteral();
    const node = read();
    this.depth -= 1;
    return node;
  }

  /** Adjacent strings are one string; bytes and str cannot mix; an f-string is not a literal. */
  private strings(first: Extract<Token, { kind: 'str' }>): Node {
    const parts = [first];
    for (let t = this.peek(); t.kind === 'str'; t = this.peek()) {
      parts.push(t);
      this.at += 1;
    }
    if (parts.some((p) => p.fstring) || parts.some((p) => p.bytes !== first.bytes)) notLiteral();
    const text = parts.map((p) => p.value).join('');
    // Ansible's to_text decodes bytes; only a top-level bytes value survives (see element()).
    return { value: first.bytes ? decodeBytes(text) : text, ...(first.bytes && { bytes: true }) };
  }

  private name(text: string): Node {
    if (text === 'True') return { value: true };
    if (text === 'False') return { value: false };
    if (text === 'None') return { value: null };
    return notLiteral(); // set() and every other name
  }

  private parenthesized(): Node {
    if (this.isOp(')')) {
      this.at += 1;
      return { value: [], tuple: true };
    }
    const first = this.element();
    if (this.isOp(')')) {
      this.at += 1;
      return first;
    }
    const items = [first.value, ...this.rest(')')];
    return { value: items, tuple: true };
  }

  private list(): Node {
    if (this.isOp(']')) {
      this.at += 1;
      return { value: [] };
    }
    return { value: [this.element().value, ...this.rest(']')] };
  }

  /** `, item, item,] ` after a first item: the remaining items up to the closing bracket. */
  private rest(close: string): InventoryValue[] {
    const items: InventoryValue[] = [];
    while (!this.isOp(close)) {
      this.take(',');
      if (this.isOp(close)) break;
      items.push(this.element().value);
    }
    this.at += 1;
    return items;
  }

  /** An item inside a container: bytes there reach JSON as bytes, which it cannot carry. */
  private element(): Node {
    const node = this.expression();
    if (node.bytes) notLiteral();
    return node;
  }

  private dict(): Node {
    const out = new Map<string, { key: string; value: InventoryValue }>();
    while (!this.isOp('}')) {
      const key = this.element();
      if (!this.isOp(':')) notLiteral(); // a set, or not Python
      this.at += 1;
      const value = this.element().value;
      const { identity, text } = dictKey(key);
      out.set(identity, { key: out.get(identity)?.key ?? text, value });
      if (this.isOp('}')) break;
      this.take(',');
    }
    this.at += 1;
    const obj = Object.create(null) as Record<string, InventoryValue>;
    for (const { key, value } of out.values()) obj[key] = value;
    return { value: obj };
  }
}

/**
 * A dict key as Python's json module writes it, and its identity (1, 1.0 and True are one key in
 * Python: the first spelling stays, the last value wins).
 */
function dictKey(node: Node): { identity: string; text: string } {
  const v = node.value;
  if (node.tuple || (typeof v === 'object' && v !== null)) return notLiteral();
  if (typeof v === 'string') return { identity: `s:${v}`, text: v };
  if (v === null) return { identity: 'none', text: 'null' };
  if (typeof v === 'boolean') return { identity: `n:${v ? 1 : 0}`, text: String(v) };
  const text = node.number?.float && Number.isInteger(v) ? `${v}.0` : String(v);
  return { identity: `n:${v}`, text };
}

function decodeBytes(latin1: string): string {
  const bytes = Uint8Array.from(latin1, (c) => c.charCodeAt(0) & 0xff);
  return new TextDecoder('utf-8').decode(bytes);
}
