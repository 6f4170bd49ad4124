// Half-typed text never breaks the server: every example is typed into it one character at a time,
// then edited at random, with requests of every kind along the way; each must be answered (an error
// response fails the test as a crash would). Then 1,000 edits on one document must not grow its memory.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-protocol';
import { analyzeSource } from '../../compiler/analyze.js';
import { mulberry32 } from '../../runtime/random.js';
import { repositoryRoot, TestClient } from './client.js';

function aeFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? aeFiles(path) : name.endsWith('.ae') ? [path] : [];
    })
    .sort();
}

const examples = aeFiles(join(repositoryRoot, 'examples')).map((f) => relative(repositoryRoot, f));

/** The document as the client has it, with LSP positions. */
class Buffer {
  constructor(public text = '') {}

  position(offset: number): Position {
    const before = this.text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - before.lastIndexOf('\n') - 1 };
  }

  edit(start: number, end: number, insert: string): { range: Range; text: string } {
    const change = { range: { start: this.position(start), end: this.position(end) }, text: insert };
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
    return change;
  }
}

const fragments = ['{', '}', '(', ')', '[', ']', ',', '=', '"', '/*', '*/', '//', '\n', ' as ', 'dense(', 'act = ', 'latent z = ', 'loss = ', 'train {', 'mirror(', 'lib.', '.', '1e-', '-', 'x', 'é', '\t'];

/** Requests an editor sends while the user types, one chosen per step. */
function requestFor(kind: number, uri: string, position: Position, diagnostics: Diagnostic[]): [string, object] {
  const textDocument = { uri };
  switch (kind % 10) {
    case 0:
      return ['textDocument/hover', { textDocument, position }];
    case 1:
      return ['textDocument/signatureHelp', { textDocument, position }];
    case 2:
      return ['textDocument/definition', { textDocument, position }];
    case 3:
      return ['textDocument/references', { textDocument, position, context: { includeDeclaration: true } }];
    case 4:
      return ['textDocument/documentSymbol', { textDocument }];
    case 5:
      return ['textDocument/semanticTokens/full', { textDocument }];
    case 6:
      return ['textDocument/prepareRename', { textDocument, position }];
    case 7:
      return ['textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics } }];
    case 8:
      return ['textDocument/rangeFormatting', { textDocument, range: { start: { line: 0, character: 0 }, end: position }, options: { tabSize: 2, insertSpaces: true } }];
    default:
      return ['textDocument/rename', { textDocument, position, newName: 'renamed' }];
  }
}

let client: TestClient;
beforeAll(async () => {
  client = await TestClient.start({ debounceMs: 5 });
});
afterAll(async () => {
  expect(await client.stop()).toBe(0);
});

describe('typing every example, character by character, then random edits', () => {
  for (const example of examples) {
    it(example, async () => {
      const random = mulberry32(example.length * 7919);
      const uri = client.uri(`${example}.typed.ae`);
      const source = readFileSync(join(repositoryRoot, example), 'utf8');
      const buffer = new Buffer();
      await client.open(uri, '');
      const pending: Promise<unknown>[] = [];
      const failures: string[] = [];
      const ask = (kind: number, offset: number) => {
        const [method, params] = requestFor(kind, uri, buffer.position(offset), client.diagnostics.get(uri)?.diagnostics ?? []);
        pending.push(
          client.connection.sendRequest(method, params).catch((error: Error) => {
            // A rename to a name that is no name is refused by design; anything else is a failure.
            if (!(method === 'textDocument/rename' && /not a name/.test(error.message))) failures.push(`${method} at ${buffer.text.length}: ${error.message}`);
          }),
        );
      };
      let step = 0;
      for (let i = 0; i < source.length; i++) {
        await client.change(uri, [buffer.edit(i, i, source[i]!)]);
        pending.push(client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: buffer.position(i + 1) }).catch((e: Error) => failures.push(`completion: ${e.message}`)));
        // Every kind of request, spread over the typing (the whole set would make the test slow).
        if (i % 4 === 0) ask(step++, i + 1);
      }
      await Promise.all(pending.splice(0));
      // The incremental changes rebuilt the file exactly: the diagnostics are the compiler's for it.
      const typed = await client.diagnosticsWhere(uri, (p) => p.version === source.length + 1);
      expect(typed.diagnostics.map((d) => d.code)).toEqual(analyzeSource(source, `${example}.typed.ae`, { cwd: repositoryRoot, validateSchema: false }).diagnostics.map((d) => d.code));

      for (let edit = 0; edit < 150; edit++) {
        const start = Math.floor(random() * (buffer.text.length + 1));
        const end = Math.min(buffer.text.length, start + (random() < 0.5 ? 0 : Math.floor(random() * 12)));
        const insert = random() < 0.3 ? '' : fragments[Math.floor(random() * fragments.length)]!;
        await client.change(uri, [buffer.edit(start, end, insert)]);
        ask(Math.floor(random() * 10), Math.min(buffer.text.length, start + insert.length));
        pending.push(client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: buffer.position(start + insert.length) }).catch((e: Error) => failures.push(`completion: ${e.message}`)));
      }
      await Promise.all(pending);
      expect(failures).toEqual([]);
      expect(client.exitCode).toBeNull();
      expect((await client.closeAndWait(uri)).diagnostics).toEqual([]);
    });
  }
});

describe('memory', () => {
  it('stays flat across 1,000 edits with requests', async () => {
    const client = await TestClient.start({ debounceMs: 5, heapProbe: true });
    const uri = client.uri('examples/mnist/mnist.ae.memory.ae');
    const buffer = new Buffer(readFileSync(join(repositoryRoot, 'examples/mnist/mnist.ae'), 'utf8'));
    await client.open(uri, buffer.text);
    const random = mulberry32(17);
    const samples: number[] = [];
    let inserted = 0;
    for (let edit = 1; edit <= 1000; edit++) {
      // Insert a character, then (next edit) take it out: the document stays the size it was.
      if (edit % 2 === 1) {
        inserted = Math.floor(random() * buffer.text.length);
        await client.change(uri, [buffer.edit(inserted, inserted, 'x')]);
      } else await client.change(uri, [buffer.edit(inserted, inserted + 1, '')]);
      const position = buffer.position(inserted);
      await Promise.all([
        client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }),
        client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position }),
      ]);
      if (edit % 100 === 0) samples.push(await client.liveHeapBytes());
    }
    await client.closeAndWait(uri);
    expect(await client.stop()).toBe(0);
    // The live heap settles after a few thousand edits (compiled code and type feedback, about 1 MB);
    // keeping one analysis per edit (tens of kB for this file) would add tens of MB here.
    const [first, ...rest] = samples.slice(1);
    expect(Math.max(...rest) - first!).toBeLessThan(2 * 2 ** 20);
  });
});
