// Each diagnostic code has one wording: the catalogue's template, filled in by `message()`.
// The scan finds report sites that write their own text for a templated code; the run checks that
// every diagnostic the spec files produce fits its code's template.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { diagnosticCatalogue, type DiagnosticCode } from '../../diagnostics/codes/index.js';
import { fitsTemplate, message } from '../../diagnostics/message.js';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

interface Site {
  code: DiagnosticCode;
  where: string;
  /** The text of the call's arguments, from the code to the closing parenthesis. */
  args: string;
}

/** Every `'AEdddd'` written as the argument of a call other than `message()`, with the rest of that call's arguments. */
function reportSites(): Site[] {
  const sites: Site[] = [];
  for (const folder of ['grammar', 'compiler', 'lsp', 'cli']) {
    for (const file of sourceFiles(join(root, folder))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:(?<!message)\(|,)\s*'(AE\d{4})'\s*,/g)) {
        let depth = 1;
        let end = match.index + match[0].length;
        while (end < text.length && depth > 0) {
          const c = text[end++];
          if (c === '(' || c === '[' || c === '{') depth++;
          else if (c === ')' || c === ']' || c === '}') depth--;
        }
        const line = text.slice(0, match.index).split('\n').length;
        sites.push({ code: match[1] as DiagnosticCode, where: `${relative(root, file)}:${line}`, args: text.slice(match.index, end) });
      }
    }
  }
  return sites;
}

describe('message templates', () => {
  const sites = reportSites();

  it('finds the report sites', () => {
    expect(sites.length).toBeGreaterThan(100);
    expect(sites.filter((s) => s.code === 'AE3002').map((s) => s.where)).toHaveLength(4);
  });

  it('a templated code is worded only by message() with its own code', () => {
    const ownWording = sites
      .filter((s) => diagnosticCatalogue[s.code].message !== undefined && !s.args.includes(`message('${s.code}', {`))
      .map((s) => `${s.where} ${s.code}`);
    expect(ownWording).toEqual([]);
  });

  it('a code reported from several sites has a template', () => {
    const count = new Map<string, number>();
    for (const s of sites) if (diagnosticCatalogue[s.code].message === undefined) count.set(s.code, (count.get(s.code) ?? 0) + 1);
    const several = [...count].filter(([, n]) => n > 1).map(([code]) => code).sort();
    expect(several).toEqual([]);
  });

  it('fills placeholders and matches only its own template', () => {
    const text = message('AE3002', { layer: 'dense', expected: 'a flat input [n]', actual: '[?, 28, 28, 1]' });
    expect(text).toBe('`dense` needs a flat input [n], but gets [?, 28, 28, 1]');
    expect(fitsTemplate('AE3002', text)).toBe(true);
    expect(fitsTemplate('AE3002', 'a head reads a float tensor, not the label `y`')).toBe(false);
    expect(fitsTemplate('AE2007', 'argument `units` given twice')).toBe(true);
    expect(fitsTemplate('AE2007', 'argument `units` was given twice')).toBe(false);
  });

  it('every diagnostic of the spec files fits its code template', () => {
    const specs = allAe(join(root, 'specs'));
    expect(specs.length).toBeGreaterThan(50);
    const misfits: string[] = [];
    const seen = new Set<string>();
    for (const file of specs) {
      const analysis = analyzeSource(readFileSync(file, 'utf8'), file, {
        cwd: join(file, '..'),
        readFile: (path) => {
          try {
            return readFileSync(path, 'utf8');
          } catch {
            return undefined;
          }
        },
      });
      for (const d of analysis.diagnostics) {
        seen.add(d.code);
        if (!fitsTemplate(d.code, d.message)) misfits.push(`${relative(root, file)} ${d.code}: ${d.message}`);
      }
    }
    expect(misfits).toEqual([]);
    expect(seen).toContain('AE3002');
    expect(seen).toContain('AE3004');
  });
});

function allAe(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return allAe(path);
    return path.endsWith('.ae') ? [path] : [];
  });
}
