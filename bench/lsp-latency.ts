// How long an editor waits on `ae lsp`: the server is driven over stdio as an editor drives it, on a
// generated 1,000-line spec, and the time from sending an edit to receiving its diagnostics, and from
// sending a hover or completion request to its answer, is measured many times. Targets: diagnostics
// within 100 ms of an edit (that includes the server's 15 ms wait for a burst of changes to end), hover and
// completion within 20 ms. Prints medians and 95th percentiles.
//
//   node --import tsx bench/lsp-latency.ts [--edits 100] [--requests 300]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Position } from 'vscode-languageserver-protocol';
import { TestClient } from '../test/lsp/client.js';

const { values } = parseArgs({ options: { edits: { type: 'string', default: '100' }, requests: { type: 'string', default: '300' } } });
const edits = Number(values.edits);
const requests = Number(values.requests);

/** Models like the examples, each 18 lines, until the file has 1,000 lines. */
function spec(): string {
  const model = (i: number) => `// model ${i}
model m${i} {
  input x: [784] in [0, 1]
  encoder {
    dense(256, act = relu) as h${i}
    dense(128, act = relu)
    dense(64, act = relu)
  }
  latent z = dense(code)
  decoder = mirror(encoder)
  output x_hat = sigmoid
  loss = bce(x_hat, x) + 1e-4 * l1(h${i})
  train {
    optimizer = adam(lr = 1e-3)
    epochs = 5
    batch = 128
  }
}
`;
  let text = 'let code = 30\n';
  for (let i = 0; text.split('\n').length < 1000; i++) text += model(i);
  return text;
}

/** The server process's CPU time so far (Linux /proc, clock ticks of 10 ms): unlike wall time, it
 *  does not grow when other processes compete for the cores. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

function summary(label: string, samples: number[], target: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `${label.padEnd(34)} median ${at(0.5).toFixed(1).padStart(6)} ms   p95 ${at(0.95).toFixed(1).padStart(6)} ms   (n = ${samples.length}, target ${target} ms)`;
}

const root = mkdtempSync(join(tmpdir(), 'ae-lsp-bench-'));
let text = spec();
writeFileSync(join(root, 'big.ae'), text);
const client = await TestClient.start({ root });
const uri = client.uri('big.ae', root);
try {
  const opened = await client.open(uri, text);
  if (opened.some((d) => d.severity === 1)) throw new Error(`the bench spec has errors: ${opened[0]!.message}`);
  const lines = text.split('\n').length;

  // One keystroke per edit: a layer's width goes 128 → 129 → 128 in a model somewhere in the file.
  const widths = [...text.matchAll(/dense\(128/g)].map((m) => m.index! + 'dense(12'.length);
  const diagnostics: number[] = [];
  let cpuBefore = 0;
  for (let i = 0; i < edits + 10; i++) {
    if (i === 10) cpuBefore = cpuMs(client.child.pid!);
    const offset = widths[(i * 7) % widths.length]!;
    const digit = text[offset] === '8' ? '9' : '8';
    text = text.slice(0, offset) + digit + text.slice(offset + 1);
    const position = positionOf(text, offset);
    const started = performance.now();
    const version = await client.change(uri, [{ range: { start: position, end: { line: position.line, character: position.character + 1 } }, text: digit }]);
    await client.nextDiagnostics(uri, (p) => p.version === version);
    if (i >= 10) diagnostics.push(performance.now() - started);
  }

  const cpuPerEdit = (cpuMs(client.child.pid!) - cpuBefore) / edits;

  // Hover on layers and latents, completion where a layer, an activation or a loss name is written.
  const hoverAt = [...text.matchAll(/dense\(|latent z/g)].map((m) => m.index! + 2);
  const completeAt = [...text.matchAll(/act = |loss = |\n {4}dense/g)].map((m) => m.index! + m[0].length - (m[0].endsWith('dense') ? 5 : 0));
  const hovers: number[] = [];
  const completions: number[] = [];
  for (let i = 0; i < requests + 20; i++) {
    let started = performance.now();
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, hoverAt[(i * 13) % hoverAt.length]!) });
    if (i >= 20) hovers.push(performance.now() - started);
    if (hover === null) throw new Error('a hover on a layer came back empty');
    started = performance.now();
    const items = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, completeAt[(i * 13) % completeAt.length]!) })) as unknown[];
    if (i >= 20) completions.push(performance.now() - started);
    if (items.length === 0) throw new Error('a completion came back empty');
  }

  // An editor often hovers right after typing, before the quiet time is over: the server then
  // analyses the new text first.
  const hoversAfterEdit: number[] = [];
  for (let i = 0; i < 30; i++) {
    const offset = widths[(i * 5) % widths.length]!;
    const digit = text[offset] === '8' ? '9' : '8';
    text = text.slice(0, offset) + digit + text.slice(offset + 1);
    const position = positionOf(text, offset);
    await client.change(uri, [{ range: { start: position, end: { line: position.line, character: position.character + 1 } }, text: digit }]);
    const started = performance.now();
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    hoversAfterEdit.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }

  console.log(`ae lsp on a ${lines}-line spec (${widths.length} models), over stdio, Node ${process.version}`);
  console.log(summary('diagnostics after an edit', diagnostics, 100));
  console.log(`${'  server CPU per edit (mean)'.padEnd(34)} ${cpuPerEdit.toFixed(1).padStart(6)} ms`);
  console.log(summary('hover', hovers, 20));
  console.log(summary('completion', completions, 20));
  console.log(summary('hover right after an edit', hoversAfterEdit, 100));
} finally {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
}
