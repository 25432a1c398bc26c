import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { WrittenAt } from '../core/schema/issues.js';

/** Where a value of the document is: its line, and its text as written (a YAML scalar's source). */
export interface Located {
  line(path: ReadonlyArray<PropertyKey>): number | undefined;
  written?: WrittenAt;
}

function nodeAt(doc: Document, path: ReadonlyArray<PropertyKey>): unknown {
  return doc.getIn(path as unknown[], true);
}

/** The key of a mapping entry (an unknown key has only that), or the item of a list. */
function entryAt(doc: Document, path: ReadonlyArray<PropertyKey>): unknown {
  const parent = nodeAt(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (isSeq(parent)) return parent.items[Number(last)];
  if (!isMap(parent)) return undefined;
  return parent.items.find((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key) === String(last))
    ?.key;
}

/**
 * Locates schema paths in a parsed document: the line of the entry at a path (or of its nearest
 * existing parent), for `file:line:` prefixes, and a scalar's source text (`2.0`, not 2).
 */
export function locate(doc: Document, counter: LineCounter): Located {
  return {
    line(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = depth === 0 ? doc.contents : entryAt(doc, path.slice(0, depth));
        if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
      }
      return undefined;
    },
    written(path) {
      const node = nodeAt(doc, path);
      return isScalar(node) ? node.source : undefined;
    },
  };
}
