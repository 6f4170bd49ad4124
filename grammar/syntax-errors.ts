// Lexer and parser errors → diagnostics. Chevrotain's message (from grammar/messages.ts) is the
// fallback; the cases people hit most get a targeted message here, where the whole token stream is
// known: an unclosed `{` (pointing back at it), a dangling operator, a stray closing bracket.
import type { ILexingError, IRecognitionException, IToken } from 'chevrotain';
import { EOF } from './chevrotain.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { message } from '../diagnostics/message.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { describeToken, expectationOfRule } from './messages.js';
import type { LineMap } from './positions.js';
import type { MismatchError } from './parser.js';
import { isRealToken } from './syntax-helpers.js';
import type { TokenTape } from './token-tape.js';
import * as t from './tokens.js';

export function lexDiagnostics(errors: readonly ILexingError[], lines: LineMap): Diagnostic[] {
  return errors.map((error) => {
    const text = lines.text.slice(error.offset, error.offset + error.length);
    const range = lines.range(error.offset, error.offset + error.length);
    const plural = [...text].length > 1 ? 'characters' : 'character';
    const notes = text.startsWith("'") ? ['strings use double quotes: `"..."`'] : [];
    return diagnostic('AE1001', `unexpected ${plural} \`${text}\``, range, { notes });
  });
}

/** Unterminated strings and block comments lex as tokens (so parsing goes on) and are reported here. */
export function unterminatedDiagnostics(tape: TokenTape, comments: readonly IToken[], lines: LineMap): Diagnostic[] {
  const found: Diagnostic[] = [];
  // An unterminated string begins with `"`: a text with none has none, and its tokens need no look.
  const tokens = lines.text.indexOf('"') === -1 ? 0 : tape.length;
  for (let index = 0; index < tokens; index++) {
    if (tape.type(index) !== t.UnterminatedString) continue;
    const start = tape.start(index);
    const end = tape.end(index);
    const insertAt = lines.range(end, end);
    found.push(
      diagnostic('AE1002', 'unterminated string: it needs a closing `"` on the same line', lines.range(start, end), {
        fix: { message: 'close the string', edits: [{ range: insertAt, newText: '"' }] },
      }),
    );
  }
  for (const comment of comments) {
    if (comment.tokenType !== t.UnterminatedBlockComment) continue;
    const end = lines.text.length;
    found.push(
      diagnostic('AE1003', 'unterminated block comment: `/*` has no `*/`, so the rest of the file is a comment', lines.range(comment.startOffset, comment.startOffset + 2), {
        fix: { message: 'close the comment at the end of the file', edits: [{ range: lines.range(end, end), newText: ' */' }] },
      }),
    );
  }
  return found;
}

const closerOf: Record<string, string> = { LCurly: 'RCurly', LParen: 'RParen', LBracket: 'RBracket' };
const openerOf: Record<string, string> = { RCurly: 'LCurly', RParen: 'LParen', RBracket: 'LBracket' };
const binaryOperators = new Set(['Plus', 'Minus', 'Star', 'Slash']);
/** Tokens that start a member or declaration: meeting one where a `}` is due means a `{` was left open. */
const startsAnotherConstruct = new Set([
  'Let', 'Block', 'Model', 'Import', 'Input', 'Corrupt', 'Encoder', 'Decoder', 'Latent', 'Output', 'Head', 'Loss', 'Train',
]);

/** The brackets still open before an offset. Errors come in source order, so the tracker walks the
 *  tokens once, forward, and keeps its stack between queries (starting over only for an earlier
 *  offset): rescanning from the first token for each error made a file of broken lines quadratic. */
class BracketTracker {
  private readonly stackBefore = new Map<number, IToken[]>();
  private readonly stack: IToken[] = [];
  private next = 0;
  private lastOffset = -1;

  constructor(private readonly tape: TokenTape) {}

  /** The brackets open before `offset`, innermost last. Stray closers are skipped, mismatched ones pop to their opener. */
  openBefore(offset: number): IToken[] {
    const cached = this.stackBefore.get(offset);
    if (cached) return cached;
    if (offset < this.lastOffset) {
      this.stack.length = 0;
      this.next = 0;
    }
    this.lastOffset = offset;
    for (; this.next < this.tape.length; this.next++) {
      if (this.tape.start(this.next) >= offset) break;
      const name = this.tape.type(this.next).name;
      // (Only a bracket is made a token object, and kept.)
      if (closerOf[name]) this.stack.push(this.tape.token(this.next));
      else if (openerOf[name]) {
        let at = this.stack.length - 1;
        while (at >= 0 && this.stack[at]!.tokenType.name !== openerOf[name]) at--;
        if (at >= 0) this.stack.length = at;
      }
    }
    const open = this.stack.slice();
    this.stackBefore.set(offset, open);
    return open;
  }

  /** Whether the closer at `offset` has an opener at all. */
  hasOpenerFor(closer: IToken): boolean {
    const opener = openerOf[closer.tokenType.name];
    return this.openBefore(closer.startOffset).some((o) => o.tokenType.name === opener);
  }
}

interface RecognitionError extends MismatchError {
  previousToken?: IToken;
}

export function parseDiagnostics(
  errors: readonly IRecognitionException[],
  tape: TokenTape,
  lines: LineMap,
  lexErrors: readonly ILexingError[] = [],
): Diagnostic[] {
  const brackets = new BracketTracker(tape);
  // The lexer reports errors in source order, so their ends are already sorted.
  const lexErrorEnds = lexErrors.map((e) => e.offset + e.length);
  const seen = new Set<number>();
  const found: Diagnostic[] = [];
  for (const error of errors as readonly RecognitionError[]) {
    // The token right after an unexpected character is usually fine; the parse error there is a cascade.
    if (followsLexError(error.token, lexErrorEnds, lines.text)) continue;
    const made = describeParseError(error, brackets, lines);
    // Recovery can report the same place twice (an inner rule and the rule it returns to).
    const key = made.range.start.offset;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(made);
  }
  return found;
}

function describeParseError(error: RecognitionError, brackets: BracketTracker, lines: LineMap): Diagnostic {
  const token = error.token;
  const atEnd = !isRealToken(token) || token.tokenType === EOF;
  const previous = isRealToken(error.previousToken) ? error.previousToken : undefined;
  const ruleStack = error.context?.ruleStack ?? [];
  const rule = ruleStack[ruleStack.length - 1] ?? 'file';
  // When the unexpected token is on a later line, the problem is the end of the previous line.
  const onLaterLine = !atEnd && previous !== undefined && /[\r\n]/.test(lines.text.slice(previous.startOffset + previous.image.length, token.startOffset));
  const tokenRange = atEnd || (onLaterLine && error.name !== 'NotAllInputParsedException' && rule !== 'file')
    ? endRange(previous, lines)
    : lines.range(token.startOffset, token.startOffset + token.image.length);

  if (!atEnd && previous && token.tokenType === t.Comma && previous.tokenType === t.Comma) {
    const extra = lines.range(token.startOffset, token.startOffset + 1);
    return diagnostic('AE1010', message('AE1010', { expected: 'a value between these two commas', found: 'a second `,`' }), extra, {
      fix: { message: 'remove the extra `,`', edits: [{ range: extra, newText: '' }] },
    });
  }

  // A dangling operator: `mse(a, b) +` then nothing that can start an expression.
  if (previous && binaryOperators.has(previous.tokenType.name) && ['operand', 'expression'].includes(rule)) {
    return diagnostic('AE1016', message('AE1016', { after: describeToken(previous), found: describeToken(atEnd ? undefined : token) }), lines.range(previous.startOffset, previous.startOffset + previous.image.length));
  }
  if (previous && ['operand', 'expression'].includes(rule)) {
    return diagnostic('AE1016', message('AE1016', { after: describeToken(previous), found: describeToken(atEnd ? undefined : token) }), tokenRange);
  }

  // A closing bracket is due: either the file ended or a new member/declaration started first.
  const expectedCloser = expectedCloserOf(error);
  const opener = expectedCloser ? innermostOpener(brackets.openBefore(atEnd ? Infinity : token.startOffset), expectedCloser) : undefined;
  if (expectedCloser) {
    if (opener && (atEnd || startsAnotherConstruct.has(token.tokenType.name))) {
      const openerRange = lines.range(opener.startOffset, opener.startOffset + 1);
      const closer = closerText(expectedCloser);
      const where = atEnd ? 'the file ended' : `${describeToken(token)} started`;
      const at = atEnd ? tokenRange : lines.range(token.startOffset, token.startOffset + token.image.length);
      return diagnostic('AE1012', `unclosed \`${opener.image}\`: ${where} before its \`${closer}\``, at, {
        related: [{ message: `the \`${opener.image}\` opened here`, range: openerRange }],
        fix: { message: `insert \`${closer}\``, edits: [{ range: atEnd ? tokenRange : lines.range(token.startOffset, token.startOffset), newText: atEnd ? `\n${closer}\n` : `${closer}\n` }] },
      });
    }
  }

  // A closing bracket nothing opened.
  if (!atEnd && openerOf[token.tokenType.name] && !brackets.hasOpenerFor(token)) {
    return diagnostic('AE1022', `unmatched \`${token.image}\`: nothing before it opened a \`${openerText(token.tokenType.name)}\``, tokenRange);
  }

  if (rule === 'file' || rule === 'declaration') {
    const hint = !atEnd ? didYouMean(token.image, ['let', 'block', 'model', 'import']) : undefined;
    return diagnostic('AE1010', message('AE1010', { expected: expectationOfRule('declaration')!, found: describeToken(atEnd ? undefined : token) }), tokenRange, {
      ...(hint ? { notes: [hint] } : {}),
    });
  }
  const related = opener ? [{ message: `the \`${opener.image}\` opened here`, range: lines.range(opener.startOffset, opener.startOffset + 1) }] : [];
  // The message provider (grammar/messages.ts) made the exception's message what was expected.
  return diagnostic('AE1010', message('AE1010', { expected: error.message, found: describeToken(atEnd ? undefined : token) }), tokenRange, { related });
}

/** Whether only spaces and tabs separate the token from the end of a lex error before it. The ends
 *  are sorted once and searched, so each parse error costs a logarithm, not a pass over every lex
 *  error (a file of 20,000 `let = @` lines took 12 s in this check alone). */
function followsLexError(token: IToken, lexErrorEnds: readonly number[], text: string): boolean {
  if (!isRealToken(token)) return false;
  let low = 0;
  let high = lexErrorEnds.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lexErrorEnds[mid]! <= token.startOffset) low = mid + 1;
    else high = mid;
  }
  if (low === 0) return false;
  const end = lexErrorEnds[low - 1]!;
  return /^[ \t]*$/.test(text.slice(end, token.startOffset));
}

/** The closing bracket a mismatch was waiting for, if that is what it expected. */
function expectedCloserOf(error: RecognitionError): string | undefined {
  const name = error.expectedTokenType?.name;
  return name !== undefined && openerOf[name] !== undefined ? name : undefined;
}

function innermostOpener(open: IToken[], closer: string): IToken | undefined {
  for (let i = open.length - 1; i >= 0; i--) if (closerOf[open[i]!.tokenType.name] === closer) return open[i];
  return undefined;
}

function closerText(name: string): string {
  return { RCurly: '}', RParen: ')', RBracket: ']' }[name] ?? name;
}

function openerText(closerName: string): string {
  return { RCurly: '{', RParen: '(', RBracket: '[' }[closerName] ?? closerName;
}

/** Where "the end of the file" is shown: right after the last real token (not after trailing blank lines). */
function endRange(previous: IToken | undefined, lines: LineMap) {
  const at = previous ? previous.startOffset + previous.image.length : lines.text.length;
  return lines.range(at, at);
}
