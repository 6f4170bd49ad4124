// Formatting through the project's Prettier plugin (the same printer as `ae fmt`). The edits are the
// changed runs of lines, so a client keeps its cursor and folds; a range request keeps only the runs
// that touch the range. Text that does not parse is left alone (its errors are already shown).
import type { Range, TextEdit } from 'vscode-languageserver';
import { formatAe } from '../compiler/format/format.js';

export async function formatDocument(text: string, range?: Range): Promise<TextEdit[]> {
  let formatted: string;
  try {
    formatted = await formatAe(text);
  } catch {
    return [];
  }
  if (formatted === text) return [];
  const hunks = lineHunks(splitLines(text), splitLines(formatted));
  const kept = range ? hunks.filter((h) => h.oldStart <= range.end.line && h.oldEnd >= range.start.line) : hunks;
  return kept.map((h) => ({
    range: { start: { line: h.oldStart, character: 0 }, end: { line: h.oldEnd, character: 0 } },
    newText: h.lines.join(''),
  }));
}

/** Lines with their line breaks, and a last line that may lack one. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

interface Hunk {
  /** Replace old lines [oldStart, oldEnd) with `lines`. */
  oldStart: number;
  oldEnd: number;
  lines: string[];
}

/** The changed runs between two line lists (longest common subsequence; one run when too large). */
function lineHunks(a: string[], b: string[]): Hunk[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if (n * m > 4_000_000) return [{ oldStart: start, oldEnd: endA, lines: b.slice(start, endB) }];
  // lcs[i][j]: the LCS length of a[start+i..endA) and b[start+j..endB).
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[start + i] === b[start + j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let open: Hunk | undefined;
  const close = () => {
    if (open) hunks.push(open);
    open = undefined;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      close();
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      open ??= { oldStart: start + i, oldEnd: start + i, lines: [] };
      open.lines.push(b[start + j]!);
      j++;
    } else {
      open ??= { oldStart: start + i, oldEnd: start + i, lines: [] };
      open.oldEnd = start + i + 1;
      i++;
    }
  }
  close();
  return hunks;
}
