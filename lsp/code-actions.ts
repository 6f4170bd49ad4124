// Quick fixes: the compiler's suggested fix of each diagnostic in the request (a did-you-mean
// replacement, a missing `,` or `}`, a lint's remedy), applied exactly as the compiler wrote it.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';

interface FixData {
  fix?: { message: string; edits: TextEdit[] };
}

export function quickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = (d.data as FixData | undefined)?.fix;
    if (!fix || fix.edits.length === 0) continue;
    actions.push({ title: fix.message, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: fix.edits } } });
  }
  return actions;
}
