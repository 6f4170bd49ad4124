// The playground page: the editor, diagnostics as you type, hover, the summary table, examples,
// sharing by link, and the training panel (train-panel.ts, loaded with tfjs on first use).
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Action, type Diagnostic as EditorDiagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, hoverTooltip, keymap, lineNumbers, highlightActiveLine } from '@codemirror/view';
import examples from 'aelang:examples';
import type { Analysis } from '../../compiler/analyze-source.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { aeCompletions, aeLanguage } from './ae-language.js';
import { analyze, hoverFacts, ownDiagnostics, summaryText } from './analysis.js';
import { aeCommand, decodeSpec, encodedFromHash, shareLink } from './share.js';
import { stats } from './stats.js';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const problems = element<HTMLUListElement>('problems');
const summary = element<HTMLPreElement>('summary');
const modelSelect = element<HTMLSelectElement>('model-select');
const notice = element<HTMLSpanElement>('notice');

let latest: { text: string; analysis: Analysis } | undefined;

/** Analyses the editor's text and shows the result: underlines, the problem list, the summary. */
function refresh(view: EditorView): void {
  const started = performance.now();
  const text = view.state.doc.toString();
  const analysis = analyze(text);
  latest = { text, analysis };
  const diagnostics = ownDiagnostics(analysis);
  view.dispatch(setDiagnostics(view.state, diagnostics.map((d) => toEditor(d, text.length))));
  showProblems(view, diagnostics);
  showSummary(analysis);
  stats.recordAnalysis(performance.now() - started, diagnostics.length);
}

function toEditor(d: Diagnostic, length: number): EditorDiagnostic {
  const from = Math.min(d.range.start.offset, length);
  const to = Math.min(Math.max(d.range.end.offset, from), length);
  const actions: Action[] = d.fix
    ? [{
        name: d.fix.message,
        apply: (view) => view.dispatch({ changes: d.fix!.edits.map((e) => ({ from: e.range.start.offset, to: e.range.end.offset, insert: e.newText })) }),
      }]
    : [];
  const notes = d.notes.length > 0 ? `\n${d.notes.map((n) => `note: ${n}`).join('\n')}` : '';
  return { from, to, severity: d.severity, source: d.code, message: `${d.message}${notes}`, actions };
}

function showProblems(view: EditorView, diagnostics: Diagnostic[]): void {
  problems.replaceChildren(
    ...diagnostics.map((d) => {
      const item = document.createElement('li');
      item.className = d.severity;
      item.dataset.code = d.code;
      item.dataset.line = String(d.range.start.line);
      item.dataset.column = String(d.range.start.column);
      item.textContent = `${d.range.start.line}:${d.range.start.column} ${d.severity} ${d.code}: ${d.message}`;
      item.addEventListener('click', () => {
        view.dispatch({ selection: { anchor: d.range.start.offset, head: d.range.end.offset }, scrollIntoView: true });
        view.focus();
      });
      if (d.fix) {
        const fix = document.createElement('button');
        fix.type = 'button';
        fix.className = 'fix';
        fix.textContent = `fix: ${d.fix.message}`;
        fix.addEventListener('click', (event) => {
          event.stopPropagation();
          view.dispatch({ changes: d.fix!.edits.map((e) => ({ from: e.range.start.offset, to: e.range.end.offset, insert: e.newText })) });
        });
        item.append(' ', fix);
      }
      return item;
    }),
  );
  if (diagnostics.length === 0) {
    const clean = document.createElement('li');
    clean.className = 'clean';
    clean.textContent = 'no problems';
    problems.append(clean);
  }
}

function showSummary(analysis: Analysis): void {
  const names = analysis.models.map((m) => m.name);
  const chosen = names.includes(modelSelect.value) ? modelSelect.value : names[0];
  if (names.join('\n') !== Array.from(modelSelect.options, (o) => o.value).join('\n')) {
    modelSelect.replaceChildren(...names.map((name) => new Option(name, name)));
  }
  if (chosen !== undefined) modelSelect.value = chosen;
  const model = analysis.models.find((m) => m.name === chosen);
  summary.textContent = model ? summaryText(model) : 'No model checks yet: fix the errors on the left.';
}

const hover = hoverTooltip((view, pos) => {
  if (!latest || latest.text !== view.state.doc.toString()) return null;
  const facts = hoverFacts(latest.analysis, latest.text, pos);
  if (facts.length === 0) return null;
  return {
    pos,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'ae-hover';
      for (const fact of facts) dom.append(Object.assign(document.createElement('div'), { textContent: fact }));
      return { dom };
    },
  };
});

let scheduled = false;
/** One analysis per frame at most: fast typing is analysed once for what is on screen. */
const refreshSoon = EditorView.updateListener.of((update) => {
  if (!update.docChanged || scheduled) return;
  scheduled = true;
  stats.markEdit();
  setTimeout(() => {
    scheduled = false;
    refresh(update.view);
  }, 0);
});

async function initialText(): Promise<string> {
  const encoded = encodedFromHash(location.hash);
  if (encoded) {
    try {
      return await decodeSpec(encoded);
    } catch (error) {
      notice.textContent = `the link's model could not be read (${(error as Error).message}); showing an example`;
    }
  }
  return examples.find((e) => e.name === 'basic')?.text ?? examples[0]!.text;
}

async function start(): Promise<void> {
  const view = new EditorView({
    parent: element('editor'),
    state: EditorState.create({
      doc: await initialText(),
      extensions: [
        lineNumbers(),
        history(),
        highlightActiveLine(),
        bracketMatching(),
        indentOnInput(),
        aeLanguage,
        syntaxHighlighting(defaultHighlightStyle),
        autocompletion({ override: [aeCompletions] }),
        lintGutter(),
        hover,
        refreshSoon,
        keymap.of([...defaultKeymap, ...historyKeymap, ...completionKeymap]),
      ],
    }),
  });
  refresh(view);
  stats.markFirstDiagnostics();

  const select = element<HTMLSelectElement>('examples');
  select.append(new Option('(choose an example)', ''), ...examples.map((e) => new Option(e.file, e.file)));
  select.addEventListener('change', () => {
    const example = examples.find((e) => e.file === select.value);
    if (example) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: example.text } });
  });
  modelSelect.addEventListener('change', () => latest && showSummary(latest.analysis));
  // A link opened in the same tab changes only the fragment: show the model it holds.
  window.addEventListener('hashchange', async () => {
    const encoded = encodedFromHash(location.hash);
    if (!encoded) return;
    try {
      const text = await decodeSpec(encoded);
      if (text !== view.state.doc.toString()) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      select.value = '';
      notice.textContent = '';
    } catch (error) {
      notice.textContent = `the link's model could not be read (${(error as Error).message})`;
    }
  });

  element('share').addEventListener('click', async () => {
    const link = await shareLink(view.state.doc.toString(), location);
    history_replace(link);
    await copy(link, 'link copied');
  });
  element('copy-command').addEventListener('click', () => copy(aeCommand(view.state.doc.toString()), '`ae` command copied'));

  const { setUpTraining } = await import('./train-panel.js');
  setUpTraining({ currentIR: () => currentIR(view, modelSelect.value) });
  (window as unknown as { aePlayground: unknown }).aePlayground = { view, stats };
}

function currentIR(view: EditorView, model: string) {
  const text = view.state.doc.toString();
  const analysis = latest?.text === text ? latest.analysis : analyze(text);
  const errors = ownDiagnostics(analysis).filter((d) => d.severity === 'error');
  if (errors.length > 0) return { error: `fix the ${errors.length} error(s) first (${errors[0]!.code} at line ${errors[0]!.range.start.line})` };
  const ir = analysis.irs.find((i) => i.model === model) ?? analysis.irs[0];
  return ir ? { ir, text } : { error: 'no model to train' };
}

function history_replace(link: string): void {
  window.history.replaceState(null, '', link);
}

async function copy(text: string, done: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    notice.textContent = done;
  } catch {
    notice.textContent = 'the browser refused the clipboard; the link is in the address bar';
  }
  notice.dataset.copied = text;
}

void start();
