/**
 * What JSON.parse lets through and this function must not: objects nested deeper than a request can be, and
 * the same key twice in one object (JSON.parse keeps the last, while a proxy or a log reader may keep the
 * first, so the two would see different requests). One pass over the text, no recursion, so no input can
 * overflow the stack. Validity itself is left to JSON.parse.
 */
import { printableName } from './guards';

/** Deep enough for the v1 HTTP event (event → requestContext → http) and a batch payload (queries → item). */
export const MAX_JSON_DEPTH = 8;

export type ShapeProblem = { kind: 'depth' } | { kind: 'duplicate'; path: string };

interface Frame {
  object: boolean;
  keys: Set<string> | undefined;
  /** In an object: the key being read next is a key (after `{` or `,`). */
  expectingKey: boolean;
  /** The current key (object) or index (array), for naming where a duplicate is. */
  at: string | number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

function pathOf(stack: readonly Frame[]): string {
  let path = '';
  for (const f of stack) {
    if (f.object) path += path === '' ? printableName(String(f.at)) : `.${printableName(String(f.at))}`;
    else path += `[${String(f.at)}]`;
  }
  return path;
}

/** The first shape problem of a JSON text, or undefined. */
export function jsonShapeProblem(text: string, maxDepth = MAX_JSON_DEPTH): ShapeProblem | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      let escaped = false;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) {
          escaped = true;
          i++;
        } else if (d === QUOTE) break;
      }
      const top = stack[stack.length - 1];
      if (top?.object && top.expectingKey) {
        let key = text.slice(start + 1, i);
        if (escaped) {
          try {
            key = JSON.parse(text.slice(start, i + 1)) as string;
          } catch {
            return undefined; // not JSON: JSON.parse will say so
          }
        }
        top.keys ??= new Set();
        top.at = key;
        if (top.keys.has(key)) return { kind: 'duplicate', path: pathOf(stack) };
        top.keys.add(key);
        top.expectingKey = false;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (stack.length >= maxDepth) return { kind: 'depth' };
      stack.push({ object: c === OPEN_OBJECT, keys: undefined, expectingKey: c === OPEN_OBJECT, at: c === OPEN_OBJECT ? '' : 0 });
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
    } else if (c === COMMA) {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectingKey = true;
      else if (top) top.at = (top.at as number) + 1;
    }
  }
  return undefined;
}
