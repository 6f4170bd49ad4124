// Quick fixes: the compiler's suggested fix of each diagnostic in the request, applied as it
// suggested; and for a misspelt name with a "did you mean" note, the replacement it names.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

interface FixData {
  fix?: { message: string; edits: TextEdit[] };
}

const didYouMean = /(?:^|\n)note: did you mean `([A-Za-z_][A-Za-z0-9_]*)`\?/;

export function quickFixes(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = (d.data as FixData | undefined)?.fix;
    if (fix && fix.edits.length > 0) {
      actions.push(action(document.uri, fix.message, d, fix.edits));
      continue;
    }
    const suggestion = didYouMean.exec(d.message)?.[1];
    // Only where the diagnostic covers exactly the misspelt name, so the replacement cannot eat more.
    if (suggestion && /^[A-Za-z_][A-Za-z0-9_]*$/.test(document.getText(d.range))) {
      actions.push(action(document.uri, `change to \`${suggestion}\``, d, [{ range: d.range, newText: suggestion }]));
    }
  }
  return actions;
}

function action(uri: string, title: string, diagnostic: Diagnostic, edits: TextEdit[]): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: { changes: { [uri]: edits } } };
}
