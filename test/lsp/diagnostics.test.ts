// The server's diagnostics are `ae check --format json`'s, for every spec: same codes, severities,
// messages (with the notes and help `ae check` prints below them), ranges and related locations. And
// they go away when the document closes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { main } from '../../cli/main.js';
import { repositoryRoot, TestClient } from './client.js';

interface JsonRange {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

interface JsonDiagnostic {
  file: string | null;
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  range: JsonRange;
  notes: string[];
  related: { message: string; file: string | null; range: JsonRange }[];
  fix: { message: string } | null;
}

function aeFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? aeFiles(path) : name.endsWith('.ae') ? [path] : [];
    })
    .sort();
}

const specs = aeFiles(join(repositoryRoot, 'specs')).map((f) => relative(repositoryRoot, f));

async function checkJson(file: string): Promise<JsonDiagnostic[]> {
  let stdout = '';
  await main(['check', file, '--format', 'json'], { stdout: (t) => (stdout += t), stderr: () => {}, isTTY: false, cwd: repositoryRoot });
  return (JSON.parse(stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

const lspRange = (r: JsonRange) => ({
  start: { line: r.start.line - 1, character: r.start.column - 1 },
  end: { line: r.end.line - 1, character: r.end.column - 1 },
});

const severity = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information };

/** What an editor must show for one `ae check` diagnostic. */
function expected(d: JsonDiagnostic, client: TestClient): Partial<Diagnostic> {
  const notes = d.notes.map((n) => `\nnote: ${n}`).join('');
  const help = d.fix ? `\nhelp: ${d.fix.message}` : '';
  return {
    code: d.code,
    severity: severity[d.severity],
    message: `${d.message}${notes}${help}`,
    range: lspRange(d.range),
    relatedInformation: d.related.map((r) => ({ message: r.message, location: { uri: client.uri(r.file ?? d.file!), range: lspRange(r.range) } })),
  };
}

function shown(d: Diagnostic): Partial<Diagnostic> {
  return { code: d.code, severity: d.severity, message: d.message, range: d.range, relatedInformation: d.relatedInformation ?? [] };
}

describe('diagnostics over stdio equal `ae check --format json`', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start();
  });
  afterAll(async () => {
    expect(await client.stop()).toBe(0);
  });

  it(`covers the specs (${specs.length} files)`, () => {
    expect(specs.length).toBeGreaterThan(100);
  });

  it('publishes, for every spec, exactly the diagnostics `ae check` prints for that file', async () => {
    let withRelated = 0;
    let total = 0;
    for (const spec of specs) {
      const json = (await checkJson(spec)).filter((d) => d.file === spec);
      const uri = client.uri(spec);
      const published = await client.open(uri, readFileSync(join(repositoryRoot, spec), 'utf8'));
      expect({ spec, diagnostics: published.map(shown) }).toEqual({ spec, diagnostics: json.map((d) => expected(d, client)) });
      total += json.length;
      withRelated += json.filter((d) => d.related.length > 0).length;
      expect((await client.closeAndWait(uri)).diagnostics).toEqual([]);
    }
    // The comparison above is only as strong as what the specs hold.
    expect(total).toBeGreaterThan(150);
    expect(withRelated).toBeGreaterThan(5);
  });
});
