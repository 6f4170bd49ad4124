// The installed command, as an editor starts it: `ae lsp --stdio` from bin/ae.js over the built dist/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hover } from 'vscode-languageserver-protocol';
import { ensureBuilt } from '../support/dist.js';
import { TestClient } from './client.js';

let client: TestClient;
beforeAll(async () => {
  ensureBuilt('dist/lsp/server.js');
  client = await TestClient.start({ installed: true });
}, 300_000);
afterAll(async () => {
  expect(await client.stop()).toBe(0);
});

describe('bin/ae.js lsp --stdio', () => {
  it('announces its features, publishes diagnostics and answers a hover', async () => {
    expect(Object.keys(client.capabilities!).sort()).toEqual([
      'codeActionProvider',
      'completionProvider',
      'definitionProvider',
      'documentFormattingProvider',
      'documentRangeFormattingProvider',
      'documentSymbolProvider',
      'hoverProvider',
      'referencesProvider',
      'renameProvider',
      'semanticTokensProvider',
      'signatureHelpProvider',
      'textDocumentSync',
    ]);
    const uri = client.uri('installed-check.ae');
    const text = 'model m {\n  input x: [4]\n  encoder { dense(2, act = rleu) }\n  latent z = dense(1)\n  decoder = mirror(encoder)\n  output y = linear\n}\n';
    const diagnostics = await client.open(uri, text);
    expect(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character])).toEqual([['AE2004', 2, 27]]);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 13 } })) as Hover;
    expect((hover.contents as { value: string }).value).toContain('Deterministic code of width `units`.');
  });
});
