import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The import structure: no cycles between files or between folders, the browser bundle imports the
 * contract and nothing else from the server, and the contract imports nothing but zod.
 */
interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Relative imports and re-exports of a file, resolved to repository paths (`./x.js` → `x.ts`). */
function importsOf(file: string): Edge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const edges: Edge[] = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) continue;
    const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (!specifier.startsWith('.')) continue;
    const typeOnly = ts.isImportDeclaration(statement) ? (statement.importClause?.isTypeOnly ?? false) : statement.isTypeOnly;
    const base = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '');
    const target = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')].find((candidate) => {
      try {
        return statSync(candidate).isFile();
      } catch {
        return false;
      }
    });
    if (target) edges.push({ from: path.relative('.', file), to: path.relative('.', target), typeOnly });
  }
  return edges;
}

/** Every cycle's members (strongly connected components with more than one node, or a self-loop). */
function cycles(edges: { from: string; to: string }[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const { from, to } of edges) graph.set(from, [...(graph.get(from) ?? []), to]);
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

const serverEdges = filesUnder('src').flatMap(importsOf);
const webEdges = filesUnder('web/src').flatMap(importsOf);
const folderOf = (file: string) => path.dirname(file);

describe('architecture', () => {
  it('has no import cycle between files', () => {
    expect(cycles([...serverEdges, ...webEdges])).toEqual([]);
  });

  it('has no import cycle between folders', () => {
    const folderEdges = [...serverEdges, ...webEdges]
      .map((e) => ({ from: folderOf(e.from), to: folderOf(e.to) }))
      .filter((e) => e.from !== e.to);
    expect(cycles(folderEdges)).toEqual([]);
  });

  it('keeps the browser bundle to the contract: types from any contract file, values only from zod-free ones', () => {
    const outside = webEdges.filter((e) => !e.to.startsWith('web/') && !e.to.startsWith('src/contract/'));
    expect(outside).toEqual([]);
    const zodFree = new Set(['src/contract/codes.ts', 'src/contract/languages.ts', 'src/contract/sse.ts']);
    const valueImports = webEdges.filter((e) => e.to.startsWith('src/contract/') && !e.typeOnly && !zodFree.has(e.to));
    expect(valueImports).toEqual([]);
    for (const file of zodFree) expect(readFileSync(file, 'utf8'), file).not.toMatch(/from 'zod'/);
  });

  it('keeps the contract free of server code', () => {
    expect(serverEdges.filter((e) => e.from.startsWith('src/contract/') && !e.to.startsWith('src/contract/'))).toEqual([]);
  });

  it('lets nothing outside the server import the server', () => {
    const intoServer = serverEdges.filter(
      (e) => e.to.startsWith('src/server/') && !e.from.startsWith('src/server/') && !/^src\/(cli|app)\//.test(e.from),
    );
    expect(intoServer).toEqual([]);
  });
});
