// The pipeline's folders import in one direction only (docs/architecture.md): leaves first
// (diagnostics, ir), then grammar, compiler, runtime, and the tools on top. An import against that
// direction, or a cycle between two sub-folders, fails here with the file and the specifier.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** For each top-level folder, the project folders it may import from (itself always allowed). */
const allowed: Record<string, readonly string[]> = {
  diagnostics: [],
  ir: [],
  onnx: ['ir'],
  grammar: ['diagnostics'],
  compiler: ['diagnostics', 'grammar', 'ir', 'onnx'],
  runtime: ['ir', 'onnx'],
  export: ['ir', 'onnx'],
  cli: ['diagnostics', 'grammar', 'ir', 'onnx', 'compiler', 'runtime', 'export', 'lsp'],
  lsp: ['diagnostics', 'grammar', 'ir', 'compiler'],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

interface Edge { from: string; to: string; specifier: string }

function projectEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const top of Object.keys(allowed)) {
    let files: string[];
    try { files = sourceFiles(join(root, top)); } catch { continue; }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importPattern)) {
        const specifier = (m[1] ?? m[2])!;
        const target = relative(root, resolve(dirname(file), specifier));
        edges.push({ from: relative(root, file), to: target, specifier });
      }
    }
  }
  return edges;
}

const topOf = (path: string) => path.split('/')[0]!;
const folderOf = (path: string) => dirname(path);

describe('import graph', () => {
  const edges = projectEdges();

  it('finds the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(300);
  });

  it('every import follows the pipeline direction', () => {
    const wrong = edges
      .filter((e) => topOf(e.from) !== topOf(e.to) && !(allowed[topOf(e.from)] ?? []).includes(topOf(e.to)))
      .map((e) => `${e.from} imports ${e.specifier}`);
    expect(wrong).toEqual([]);
  });

  it('no cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) {
      const a = folderOf(e.from);
      const b = folderOf(e.to);
      if (a === b || b.startsWith(a + '/')) continue; // a folder may use its own sub-folders
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a)!.add(b);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (node: string) => {
      state.set(node, 'open');
      stack.push(node);
      for (const next of graph.get(node) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(node, 'done');
    };
    for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
    expect(cycles).toEqual([]);
  });
});

// What a command loads before it runs: the static value imports reachable from its module (type
// imports and `import()` excluded: they load nothing, or only when called).
const staticImport = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?from\s*)?['"](\.{1,2}\/[^'"]+)['"]/g;

function loadedBy(entry: string): Set<string> {
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(staticImport)) {
      visit(relative(root, resolve(dirname(join(root, file)), m[1]!.replace(/\.js$/, '.ts'))));
    }
  };
  visit(entry);
  return loaded;
}

describe('what a command loads', () => {
  it('follows imports through the compiler', () => {
    const check = loadedBy('cli/commands/check.ts');
    expect(check).toContain('compiler/analyze-source.ts');
    expect(check).toContain('grammar/parser.ts');
    expect(loadedBy('compiler/analyze.ts')).toContain('ir/schema-validator.generated.ts');
  });

  // The schema's validator is 1 MB of generated code, ~50 ms of a fresh process: only commands that
  // hand out IRs check them against the schema (compiler/analyze.ts).
  for (const command of ['check', 'summary', 'fmt']) {
    it(`ae ${command} never loads the schema's validator`, () => {
      expect(loadedBy(`cli/commands/${command}.ts`)).not.toContain('ir/schema-validator.generated.ts');
    });
  }
});

// The packages a command may load, at start or when it runs: the value imports, static and `import()`,
// of every project module it can reach that way (type imports load nothing).
const packageImport = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?from\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(packageImport)) {
      const specifier = (m[1] ?? m[2])!;
      if (specifier.startsWith('.')) visit(relative(root, resolve(dirname(join(root, file)), specifier.replace(/\.js$/, '.ts'))));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return packages;
}

describe('what ae fmt loads of Prettier', () => {
  // Prettier's full entry (index.mjs, 678 KB) and prettier/doc cost a fresh `ae fmt` ~70 ms to load;
  // its standalone build formats the same with the plugin and the parser given (compiler/format).
  it('only its standalone build', () => {
    const prettier = [...packagesLoadedBy('cli/commands/fmt.ts')].filter((name) => name === 'prettier' || name.startsWith('prettier/'));
    expect(prettier).toEqual(['prettier/standalone']);
  });
});
