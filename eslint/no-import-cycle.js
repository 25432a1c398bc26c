import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * `no-import-cycle`: a module may not import, directly or through others, a module that imports
 * it. Type-only imports count: a cycle of types still ties two modules' designs together (the
 * core importing port types while the ports import core events was one). Only relative imports
 * are followed; a `.js` specifier names the `.ts` file next to it, as NodeNext resolution does.
 * eslint-plugin-import-x's `no-cycle` skips type-only imports, so it would not do.
 */

// file -> { mtimeMs, deps }: each file is read once per lint run (and again only once changed).
const graph = new Map();

function resolveImport(fromFile, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  const candidates = specifier.endsWith('.js')
    ? [base.replace(/\.js$/, '.ts'), base]
    : [base, `${base}.ts`, resolve(base, 'index.ts')];
  return candidates.find((file) => {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

function dependencies(file) {
  let mtimeMs;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const known = graph.get(file);
  if (known && known.mtimeMs === mtimeMs) return known.deps;
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const deps = [...new Set(importedFiles.map((f) => resolveImport(file, f.fileName)).filter(Boolean))];
  graph.set(file, { mtimeMs, deps });
  return deps;
}

/** The shortest chain of imports from `start` back to `target`, or undefined when there is none. */
function pathBack(start, target) {
  const parent = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === target) {
      const chain = [];
      for (let f = file; f !== null; f = parent.get(f)) chain.unshift(f);
      return chain;
    }
    for (const dep of dependencies(file)) {
      if (!parent.has(dep)) {
        parent.set(dep, file);
        queue.push(dep);
      }
    }
  }
  return undefined;
}

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid import cycles between modules, type-only imports included' },
    schema: [],
    messages: { cycle: 'import cycle: {{chain}}' },
  },
  create(context) {
    const file = context.physicalFilename;
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const target = resolveImport(file, source.value);
      if (!target) return;
      const chain = pathBack(target, file);
      if (!chain) return;
      const names = [file, ...chain].map((f) => relative(context.cwd, f));
      context.report({ node, messageId: 'cycle', data: { chain: names.join(' → ') } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { 'no-import-cycle': noImportCycle } };
