/**
 * Maps a path in the parsed data (["networks", 0, "driver"]) back to a line and column in the YAML
 * text, so every error — schema, variable or semantic — points at what the user wrote.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type YamlPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

export interface Locator {
  /**
   * Where the node at `path` starts; its key when `at` is 'key'. A path that does not exist (a missing
   * key) resolves to the deepest node that does, which is where the missing thing belongs.
   */
  locate(path: YamlPath, at?: 'value' | 'key'): Position;
  /** Where `needle` occurs inside the scalar at `path` (a `${var}` in a string), else its start. */
  locateText(path: YamlPath, needle: string): Position;
}

/** "networks[0].driver"; "(document)" for the root. */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(document)';
}

export function makeLocator(doc: Document, text: string, lines: LineCounter): Locator {
  const pos = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };

  // Walk as far as the path exists; remember the key node of the last step for 'key' lookups.
  const walk = (path: YamlPath): { node: Node | null; key: Node | null; complete: boolean } => {
    let node: Node | null = doc.contents;
    let key: Node | null = null;
    for (const seg of path) {
      let next: Node | null = null;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
        if (pair) {
          key = isScalar(pair.key) ? pair.key : null;
          next = (pair.value as Node | null) ?? key;
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = (node.items[seg] as Node | undefined) ?? null;
        key = next;
      }
      if (!next) return { node, key: null, complete: false };
      node = next;
    }
    return { node, key, complete: true };
  };

  const start = (node: Node | null): Position => pos(node?.range?.[0] ?? 0);

  return {
    locate(path, at = 'value') {
      const { node, key, complete } = walk(path);
      return start(complete && at === 'key' && key ? key : node);
    },
    locateText(path, needle) {
      const { node, complete } = walk(path);
      const range = node?.range;
      if (complete && range) {
        // Search the source text of the scalar: quoting and folding shift columns, the text does not lie.
        const found = text.slice(range[0], range[1]).indexOf(needle);
        if (found >= 0) return pos(range[0] + found);
      }
      return start(node);
    },
  };
}
