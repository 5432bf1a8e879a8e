import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';

/**
 * No import cycle in src/, type-only imports included: a cycle means two
 * modules each need the other to be understood, which the layout exists to
 * prevent (flag types live in src/commands/flags.ts, not cli.ts; policy types
 * in src/model/, not beside the rules). The graph is read with TypeScript's
 * own pre-processor, so `import type`, `export … from`, dynamic `import()`
 * and module augmentations all count.
 */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importGraph(): Map<string, string[]> {
  const src = join(ROOT, 'src');
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => relative(ROOT, resolve(dirname(file), name.replace(/\.js$/, '.ts'))));
    graph.set(relative(ROOT, file), [...new Set(targets)]);
  }
  return graph;
}

/** Every cycle, each as the path that closes it (Tarjan would be shorter; this names the modules). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

describe('module graph of src/', () => {
  const graph = importGraph();

  it('reads the imports (the scan itself works): type imports, dynamic imports and augmentations included', () => {
    expect(graph.get('src/cli.ts')).toContain('src/commands/flags.ts');
    expect(graph.get('src/cli.ts')).toContain('src/commands/scan.ts');
    expect(graph.get('src/rules/rule.ts')).toContain('src/model/policy.ts');
    expect(graph.get('src/services/s3/service.ts')).toContain('src/model/services.ts');
    expect(graph.size).toBeGreaterThan(80);
  });

  it('every relative import names a file that exists', () => {
    const missing = [...graph.entries()].flatMap(([file, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${file} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it('has no cycle', () => {
    expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('the cycle finder finds a planted cycle', () => {
    const planted = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(planted)).toEqual([['a', 'b', 'c', 'a']]);
  });
});
