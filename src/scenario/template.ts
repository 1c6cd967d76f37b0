/**
 * `${name}` references inside string values. `$${` writes a literal `${` (for a command argument that
 * must contain one). A lone `$` is just a character, so `$HOME` in a command stays as written.
 */

export type TemplatePart = { text: string } | { variable: string; index: number };

export interface TemplateSyntaxError {
  message: string;
  /** Offset of the offending `${` in the string. */
  index: number;
}

const VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Split a string into literal text and variable references, or say what is malformed. */
export function parseTemplate(s: string): TemplatePart[] | TemplateSyntaxError {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!s.startsWith('${', i)) {
      text += s[i];
      i += 1;
      continue;
    }
    const end = s.indexOf('}', i + 2);
    if (end < 0)
      return { message: `unterminated "\${" (write "$\${" for a literal "\${")`, index: i };
    const variable = s.slice(i + 2, end);
    if (!VAR.test(variable)) {
      return {
        message: `"\${${variable}}" is not a variable reference: names are letters, digits and _`,
        index: i,
      };
    }
    if (text) parts.push({ text });
    text = '';
    parts.push({ variable, index: i });
    i = end + 1;
  }
  if (text) parts.push({ text });
  return parts;
}

export function isSyntaxError(p: TemplatePart[] | TemplateSyntaxError): p is TemplateSyntaxError {
  return !Array.isArray(p);
}

/** True when the string has a `${name}` that substitution would replace. */
export function hasReference(s: string): boolean {
  const parts = parseTemplate(s);
  return isSyntaxError(parts) || parts.some((p) => 'variable' in p);
}

/** Join the parts, asking `lookup` for each variable's value. */
export function render(
  parts: TemplatePart[],
  lookup: (name: string, index: number) => string,
): string {
  return parts.map((p) => ('text' in p ? p.text : lookup(p.variable, p.index))).join('');
}
