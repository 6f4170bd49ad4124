// Every feature of the server, asked over stdio as an editor asks, on a two-file workspace
// (test/lsp/workspace: main.ae imports lib.ae as `lib`).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  Range,
  SemanticTokens,
  SignatureHelp,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { formatAe } from '../../compiler/format/format.js';
import { TestClient } from './client.js';

const root = mkdtempSync(join(tmpdir(), 'ae-lsp-'));
cpSync(join(import.meta.dirname, 'workspace'), root, { recursive: true });
const mainText = readFileSync(join(root, 'main.ae'), 'utf8');
const libText = readFileSync(join(root, 'lib.ae'), 'utf8');

let client: TestClient;
let mainUri: string;
let libUri: string;

/** The position of the `n`th (0-based) occurrence of `needle` in `text`, plus `shift` characters. */
function at(text: string, needle: string, shift = 0, n = 0): { line: number; character: number } {
  let index = -1;
  for (let i = 0; i <= n; i++) index = text.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`'${needle}' not in the text`);
  const before = text.slice(0, index + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

function apply(text: string, edits: readonly TextEdit[]): string {
  const offset = (p: { line: number; character: number }) => {
    const lines = text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

const request = <T>(method: string, params: object) => client.connection.sendRequest(method, params) as Promise<T>;
const hoverAt = async (position: { line: number; character: number }) =>
  ((await request<Hover | null>('textDocument/hover', { textDocument: { uri: mainUri }, position }))?.contents as { value: string } | undefined)?.value ?? '';
const labels = (items: CompletionItem[] | null) => (items ?? []).map((i) => i.label);

/** Opens a scratch document with `text` (where `|` marks the cursor) and asks for completions there. */
let scratch = 0;
async function completeIn(marked: string): Promise<string[]> {
  const uri = client.uri(`scratch${scratch++}.ae`, root);
  const text = marked.replace('|', '');
  await client.open(uri, text);
  const items = await request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: at(marked, '|') });
  await client.close(uri);
  return labels(items);
}

beforeAll(async () => {
  client = await TestClient.start({ root });
  mainUri = client.uri('main.ae', root);
  libUri = client.uri('lib.ae', root);
  await client.open(mainUri, mainText);
});
afterAll(async () => {
  expect(await client.stop()).toBe(0);
  rmSync(root, { recursive: true, force: true });
});

describe('hover', () => {
  it("shows a layer's output shape and parameter count, and the decoder layer mirrored from it", async () => {
    const text = await hoverAt(at(mainText, 'dense(256', 2));
    expect(text).toContain('dense(units, act = linear, bias = true, per_step = false)');
    expect(text).toContain('Fully connected layer');
    expect(text).toContain('**dense** (encoder, `hidden`) → `[256]`, 200,960 parameters');
    expect(text).toContain('**dense** (decoder) → `[784]`, 201,488 parameters');
  });

  it('shows, for a layer inside a block, the nodes built from it where the block is used', async () => {
    const text = await hoverAt(at(mainText, '  dense(n, act = relu)', 3));
    expect(text).toContain('in `m`: **dense** (encoder) → `[60]`, 15,420 parameters');
    expect(text).toContain('in `m`: **dense** (decoder) → `[256]`, 15,616 parameters');
  });

  it("shows the latent's shape and parameters, and a constant's value", async () => {
    expect(await hoverAt(at(mainText, 'latent z', 7))).toContain('latent `z` (dense) → `[30]`, 1,830 parameters');
    expect(await hoverAt(at(mainText, 'dense(code)', 7))).toContain('let code = 30');
    expect(await hoverAt(at(mainText, 'pair(scale)', 6))).toContain('let scale = 60');
    expect(await hoverAt(at(mainText, 'lib.width', 5))).toContain('let width = 16');
  });

  it("shows a tensor's shape where the loss uses it, and a built-in's doc line", async () => {
    expect(await hoverAt(at(mainText, 'l1(hidden)', 4))).toContain('layer name `hidden` → `[256]`');
    expect(await hoverAt(at(mainText, 'mse(', 1))).toContain('Mean squared error.');
    expect(await hoverAt(at(mainText, 'latent z = identity', 12))).toContain("The encoder's output is the code");
  });
});

describe('hover on sequences', () => {
  it('shows [t, c] shapes and Keras parameter counts for sequence layers', async () => {
    const text = 'model seq {\n  input s: [64, 3]\n  encoder { conv1d(16, kernel = 5, act = relu), lstm(32) }\n  latent z = dense(8)\n  decoder = mirror(encoder)\n  output s_hat = linear\n  loss = mse(s_hat, s)\n}\n';
    const uri = client.uri(`scratch${scratch++}.ae`, root);
    await client.open(uri, text);
    const hover = async (needle: string) =>
      ((await request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at(text, needle, 1) }))?.contents as { value: string } | undefined)?.value ?? '';
    const conv = await hover('conv1d(');
    expect(conv).toContain('**conv1d** (encoder) → `[64, 16]`, 256 parameters');
    expect(conv).toContain('**deconv1d** (decoder) → `[64, 3]`, 243 parameters');
    const lstm = await hover('lstm(');
    expect(lstm).toContain('**lstm** (encoder) → `[32]`, 6,272 parameters');
    // Its mirror: repeat_vector over the 64 steps, an lstm on [64, 32] (4·(32·(32 + 32) + 32)), a per-step dense back to 16.
    expect(lstm).toContain('**repeat_vector** (decoder) → `[64, 32]`, 0 parameters');
    expect(lstm).toContain('**lstm** (decoder) → `[64, 32]`, 8,320 parameters');
    expect(lstm).toContain('**dense_per_step** (decoder) → `[64, 16]`, 528 parameters');
    await client.close(uri);
  });
});

describe('completion', () => {
  it('offers layer kinds and blocks inside a layer body', async () => {
    const items = await completeIn('block b(n) { dense(n) }\nmodel m {\n  input x: [4]\n  encoder {\n    dense(8)\n    |\n  }\n}\n');
    expect(items).toEqual(expect.arrayContaining(['dense', 'conv2d', 'maxpool', 'flatten', 'relu', 'b', 'repeat']));
    expect(items).not.toContain('mse');
  });

  it('offers activations after `act =`, and the arguments not yet given in a call', async () => {
    expect(await completeIn('model m {\n  encoder { dense(8, act = |) }\n}\n')).toEqual(['relu', 'tanh', 'sigmoid', 'leaky_relu', 'elu', 'gelu', 'softplus', 'softmax', 'linear']);
    const args = await completeIn('model m {\n  encoder { conv2d(16, padding = valid, |) }\n}\n');
    expect(args.filter((l) => l.endsWith(' ='))).toEqual(['kernel =', 'stride =', 'act =', 'bias =']);
  });

  it('offers the names in scope inside `loss`, with the loss functions', async () => {
    const items = await completeIn('let k = 2\nmodel m {\n  input x: [4]\n  encoder { dense(3) as h }\n  latent z = dense(2)\n  output y = sigmoid\n  loss = mse(|)\n}\n');
    expect(items).toEqual(expect.arrayContaining(['x', 'h', 'z', 'y', 'k']));
    expect((await completeIn('model m {\n  input x: [4]\n  loss = |\n}\n')).slice(0, 1)).toEqual(['x']);
    expect(await completeIn('model m {\n  input x: [4]\n  loss = |\n}\n')).toEqual(expect.arrayContaining(['mse', 'bce', 'kl', 'vq_loss']));
  });

  it('offers latent kinds after `latent z =`, members in a model and settings inside `train`', async () => {
    expect(await completeIn('model m {\n  latent z = |\n}\n')).toEqual(['dense', 'identity', 'gaussian', 'vq', 'binary', 'onehot']);
    expect(await completeIn('model m {\n  input x: [4]\n  |\n}\n')).toEqual(['input', 'corrupt', 'encoder', 'decoder', 'latent', 'output', 'head', 'loss', 'train']);
    const settings = await completeIn('model m {\n  train {\n    epochs = 3\n    |\n  }\n}\n');
    expect(settings).toEqual(['data', 'validate', 'optimizer', 'epochs', 'batch', 'seed', 'schedule', 'freeze', 'early_stop', 'loss']);
    expect(await completeIn('model m {\n  train { optimizer = | }\n}\n')).toEqual(['adam', 'sgd', 'rmsprop']);
  });
});

describe('signature help', () => {
  it('shows the parameters of the layer being called, the current one active', async () => {
    const help = await request<SignatureHelp>('textDocument/signatureHelp', { textDocument: { uri: mainUri }, position: at(mainText, 'dense(256, act', 11) });
    expect(help.signatures[0]!.label).toBe('dense(units, act = linear, bias = true, per_step = false)');
    expect(help.activeParameter).toBe(1);
    const [start, end] = help.signatures[0]!.parameters![1]!.label as [number, number];
    expect(help.signatures[0]!.label.slice(start, end)).toBe('act = linear');
  });

  it("shows a block's parameters, also through an import name", async () => {
    const help = await request<SignatureHelp>('textDocument/signatureHelp', { textDocument: { uri: mainUri }, position: at(mainText, 'lib.down(', 9) });
    expect(help.signatures[0]!.label).toBe('lib.down(c, k = …)');
    expect(help.activeParameter).toBe(0);
  });
});

describe('definition, references, rename', () => {
  const definition = (position: { line: number; character: number }) =>
    request<Location | null>('textDocument/definition', { textDocument: { uri: mainUri }, position });

  it('goes to constants, blocks, `as` names and imports, across files', async () => {
    expect(await definition(at(mainText, 'dense(code)', 7))).toEqual({ uri: mainUri, range: range(1, 4, 1, 8) });
    expect(await definition(at(mainText, 'pair(scale)', 1))).toEqual({ uri: mainUri, range: range(4, 6, 4, 10) });
    expect(await definition(at(mainText, 'l1(hidden)', 3))).toEqual({ uri: mainUri, range: range(12, 30, 12, 36) });
    expect(await definition(at(mainText, 'lib.down', 1))).toEqual({ uri: mainUri, range: range(0, 19, 0, 22) });
    expect(await definition(at(mainText, 'lib.down', 5))).toEqual({ uri: libUri, range: range(3, 6, 3, 10) });
    expect(await definition(at(mainText, 'lib.width', 5))).toEqual({ uri: libUri, range: range(1, 4, 1, 9) });
    expect(await definition(at(mainText, '"lib.ae"', 2))).toEqual({ uri: libUri, range: range(0, 0, 0, 0) });
  });

  it('finds every use of an `as` name and of a constant', async () => {
    const refs = await request<Location[]>('textDocument/references', { textDocument: { uri: mainUri }, position: at(mainText, 'as hidden', 4), context: { includeDeclaration: true } });
    expect(refs.map((r) => r.range.start.line).sort((a, b) => a - b)).toEqual([12, 18, 21]);
    const uses = await request<Location[]>('textDocument/references', { textDocument: { uri: mainUri }, position: at(mainText, 'let code', 5), context: { includeDeclaration: false } });
    expect(uses.map((r) => [r.range.start.line, r.range.start.character])).toEqual([
      [2, 12],
      [15, 19],
    ]);
  });

  it('renames a constant everywhere, an imported one in its own file too, and refuses a non-name', async () => {
    const edit = await request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: mainUri }, position: at(mainText, 'let code', 5), newName: 'size' });
    const renamed = apply(mainText, edit.changes![mainUri]!);
    expect(renamed).toContain('let size = 30\nlet scale = size * 2');
    expect(renamed).toContain('latent z = dense(size)');
    const width = await request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: mainUri }, position: at(mainText, 'lib.width', 6), newName: 'channels' });
    expect(apply(libText, width.changes![libUri]!)).toContain('let channels = 16');
    expect(apply(mainText, width.changes![mainUri]!)).toContain('lib.down(lib.channels)');
    await expect(request('textDocument/rename', { textDocument: { uri: mainUri }, position: at(mainText, 'let code', 5), newName: 'model' })).rejects.toThrow(/keyword/);
    expect(await request('textDocument/prepareRename', { textDocument: { uri: mainUri }, position: at(mainText, 'input x', 6) })).toBeNull();
    expect(await request('textDocument/prepareRename', { textDocument: { uri: mainUri }, position: at(mainText, 'block pair', 7) })).toEqual({ range: range(4, 6, 4, 10), placeholder: 'pair' });
  });
});

function range(l1: number, c1: number, l2: number, c2: number): Range {
  return { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } };
}

describe('symbols, formatting, code actions, semantic tokens', () => {
  it('lists the models with their members and named layers', async () => {
    const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: mainUri } });
    expect(symbols.map((s) => s.name)).toEqual(['lib', 'code', 'scale', 'pair', 'm', 'c']);
    const m = symbols.find((s) => s.name === 'm')!;
    expect(m.children!.map((s) => s.name)).toEqual(['x', 'encoder', 'z', 'decoder', 'x_hat', 'loss', 'train']);
    expect(m.children![1]!.children!.map((s) => s.name)).toEqual(['hidden']);
  });

  it('formats the whole document as `ae fmt` does, and a range only within it', async () => {
    const messy = 'let a   =  1\nmodel m {\n  input x: [4]\n  encoder { dense(2 ,act=relu), dense( 3 ) }\n  latent z = dense(  2)\n}\n';
    const uri = client.uri('messy.ae', root);
    await client.open(uri, messy);
    const edits = await request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(apply(messy, edits)).toBe(await formatAe(messy));
    const partial = await request<TextEdit[]>('textDocument/rangeFormatting', { textDocument: { uri }, range: range(0, 0, 0, 12), options: { tabSize: 2, insertSpaces: true } });
    const once = apply(messy, partial);
    expect(once.startsWith('let a = 1\n')).toBe(true);
    expect(once).toContain('dense(2 ,act=relu)');
    await client.close(uri);
  });

  it("applies a diagnostic's suggested fix, and a did-you-mean", async () => {
    const published = client.diagnostics.get(mainUri)!.diagnostics;
    const overcomplete = published.filter((d: Diagnostic) => d.code === 'AE5001');
    expect(overcomplete).toHaveLength(1);
    const actions = await request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: mainUri }, range: overcomplete[0]!.range, context: { diagnostics: overcomplete } });
    expect(actions.map((a) => a.title)).toEqual(['add `1e-4 * l1(z)` to the loss']);
    expect(apply(mainText, actions[0]!.edit!.changes![mainUri]!)).toContain('loss = bce(x_hat, x) + 1e-4 * l1(z)');

    const typo = 'model m {\n  input x: [4]\n  encoder { dense(2, act = rleu) }\n  latent z = dense(1)\n  decoder = mirror(encoder)\n  output y = linear\n}\n';
    const uri = client.uri('typo.ae', root);
    const diagnostics = await client.open(uri, typo);
    const unknown = diagnostics.filter((d) => d.code === 'AE2004');
    expect(unknown).toHaveLength(1);
    const fixes = await request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: unknown[0]!.range, context: { diagnostics: unknown } });
    expect(fixes.map((a) => a.title)).toEqual(['replace with `relu`']);
    expect(apply(typo, fixes[0]!.edit!.changes![uri]!)).toContain('act = relu');
    await client.close(uri);
  });

  it('marks blocks, constants, parameters and import names with semantic tokens', async () => {
    const tokens = await request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: mainUri } });
    const types = client.capabilities!.semanticTokensProvider!.legend.tokenTypes;
    const decoded: string[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [dl, dc, length, type] = tokens.data.slice(i, i + 4) as [number, number, number, number];
      line += dl;
      character = dl === 0 ? character + dc : dc;
      decoded.push(`${mainText.split('\n')[line]!.slice(character, character + length)}:${types[type]}`);
    }
    expect(decoded).toEqual(expect.arrayContaining(['lib:namespace', 'pair:function', 'n:parameter', 'code:variable', 'hidden:variable', 'down:function']));
  });
});

describe('imports', () => {
  it("rechecks a file when the file it imports changes in the editor, and when it is saved", async () => {
    await client.open(libUri, libText);
    const broken = client.nextDiagnostics(mainUri, (p) => p.diagnostics.some((d) => d.code === 'AE2013'));
    await client.change(libUri, [{ range: range(1, 4, 1, 9), text: 'wide' }]);
    expect((await broken).diagnostics.find((d) => d.code === 'AE2013')!.message).toMatch(/width/);
    const repaired = client.nextDiagnostics(mainUri, (p) => !p.diagnostics.some((d) => d.code === 'AE2013'));
    await client.close(libUri);
    await repaired;

    const onDisk = client.nextDiagnostics(mainUri, (p) => p.diagnostics.some((d) => d.code === 'AE2013'));
    writeFileSync(join(root, 'lib.ae'), libText.replace('let width', 'let wide'));
    await client.save(libUri);
    expect((await onDisk).diagnostics.some((d) => d.code === 'AE2013')).toBe(true);
    writeFileSync(join(root, 'lib.ae'), libText);
  });
});

describe('a document that is no file', () => {
  it('is checked, and its related locations point into it', async () => {
    const uri = 'untitled:Untitled-1';
    const diagnostics = await client.open(uri, 'let a = 1\nlet a = 2\n');
    expect(diagnostics.map((d) => [d.code, d.range.start.line, d.relatedInformation?.[0]?.location])).toEqual([
      ['AE2002', 0, { uri, range: range(1, 4, 1, 5) }],
      ['AE2002', 1, { uri, range: range(0, 4, 0, 5) }],
    ]);
    await client.closeAndWait(uri);
  });
});

describe('the command', () => {
  it('needs its transport, and says so as misuse (exit 2)', async () => {
    const { main } = await import('../../cli/main.js');
    let stderr = '';
    const io = { stdout: () => {}, stderr: (t: string) => (stderr += t), isTTY: false, cwd: root };
    expect(await main(['lsp'], io)).toBe(2);
    expect(stderr).toBe("ae lsp: the transport is required: --stdio\nusage: ae lsp --stdio\nRun 'ae help lsp' for its options.\n");
    stderr = '';
    expect(await main(['lsp', '--stdio', '--tcp'], io)).toBe(2);
    expect(stderr).toContain("unknown option '--tcp'");
  });
});
