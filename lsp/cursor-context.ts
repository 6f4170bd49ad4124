// Where the cursor is, in the language's terms, read from the compiler's own lexer: inside which
// body (model, layers, train), which member, which call and which of its arguments. Completion and
// signature help need this on half-typed text, where the parser's tree is a guess; the tokens before
// the cursor are exact, and the brace and parenthesis structure is all these features need.
import type { IToken } from 'chevrotain';
import { scan } from '../grammar/scanner.js';
import type { CallSite } from './builtins.js';

export type BodyKind = 'file' | 'model' | 'layers' | 'train' | 'other';

/** The call whose parentheses the cursor is in. */
export interface OpenCall {
  callee: string;
  /** `lib.down(`: the namespace before the dot. */
  namespace?: string;
  site: CallSite;
  /** Positional arguments before the cursor's. */
  positionalBefore: number;
  /** Named arguments already written. */
  named: string[];
  /** The name of the named argument the cursor is in (`act = |`). */
  currentName?: string;
}

export interface CursorContext {
  body: BodyKind;
  /** The model the cursor is in, if any. */
  model?: string;
  /** The member keyword of the statement the cursor is in (`latent`, `loss`, `output`, `corrupt`, ...),
   *  or for a train body the setting's name. */
  member?: string;
  /** At the start of a new statement (member, layer, setting, declaration). */
  statementStart: boolean;
  /** Just after `=` of the statement (`latent z = |`, `act = |`, `optimizer = |`). */
  afterEquals: boolean;
  /** After `with` or `then` in a `corrupt` member. */
  afterCorruptWord: boolean;
  /** Inside `[...]` of a `freeze` setting. */
  inList: boolean;
  call?: OpenCall;
  /** The identifier being typed (the text from its start to the cursor). */
  prefix: string;
  /** After `as`, `let`, `block`, `model`, `input` ...: a new name is being written; nothing to offer. */
  namingPosition: boolean;
}

interface Frame {
  open: '{' | '(' | '[';
  body: BodyKind;
  model?: string;
  /** Member/setting of the statement in progress in this body. */
  member?: string;
  /** Tokens of the statement in progress in this body. */
  statement: IToken[];
  call?: OpenCall;
}

const memberWords = new Set(['input', 'corrupt', 'encoder', 'decoder', 'latent', 'output', 'head', 'loss', 'train']);
const namingWords = new Set(['as', 'let', 'block', 'model', 'input', 'head', 'latent', 'output', 'train', 'import']);

export function cursorContext(text: string, offset: number): CursorContext {
  const before = text.slice(0, offset);
  const tokens = scan(before).tokens;
  let prefix = '';
  const last = tokens[tokens.length - 1];
  if (last && last.startOffset + last.image.length === offset && /^[A-Za-z_]/.test(last.image)) {
    prefix = last.image;
    tokens.pop();
  }
  const stack: Frame[] = [{ open: '{', body: 'file', statement: [] }];
  const top = () => stack[stack.length - 1]!;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const image = token.image;
    const frame = top();
    if (image === '{') {
      stack.push({ open: '{', body: bodyOpenedBy(frame), model: frame.model ?? modelName(frame), statement: [] });
      continue;
    }
    if (image === '}') {
      // Half-typed text may leave a `(` or `[` open: the `}` closes them with its body.
      while (stack.length > 1 && top().open !== '{') stack.pop();
      if (stack.length > 1) stack.pop();
      const outer = top();
      // A closed body ends the statement that opened it (`encoder { ... }`, `model m { ... }`).
      outer.statement = [];
      outer.member = undefined;
      continue;
    }
    if (image === '(') {
      const callee = calleeBefore(tokens, i);
      const site = siteOf(frame);
      stack.push({
        open: '(',
        body: frame.body,
        model: frame.model,
        member: frame.member,
        statement: [],
        call: { callee: callee.name, ...(callee.namespace ? { namespace: callee.namespace } : {}), site, positionalBefore: 0, named: [] },
      });
      frame.statement.push(token);
      continue;
    }
    if (image === ')' || image === ']') {
      const opener = image === ')' ? '(' : '[';
      // Close up to the matching opener, never past the body it is in; a stray closer closes nothing.
      const opens = stack.map((f) => f.open);
      const match = opens.lastIndexOf(opener);
      if (match > opens.lastIndexOf('{')) stack.length = match;
      top().statement.push(token);
      continue;
    }
    if (image === '[') {
      stack.push({ open: '[', body: frame.body, model: frame.model, member: frame.member, statement: [] });
      frame.statement.push(token);
      continue;
    }
    if (frame.open === '(' && frame.call) {
      if (image === ',') {
        const named = namedArgument(frame.statement);
        if (named) frame.call.named.push(named);
        else if (frame.statement.length > 0) frame.call.positionalBefore++;
        frame.statement = [];
      } else frame.statement.push(token);
      continue;
    }
    if (frame.open === '{') startsStatement(frame, token, tokens[i - 1], text) ? beginStatement(frame, token) : frame.statement.push(token);
    else frame.statement.push(token);
  }
  const frame = top();
  const previous = tokens[tokens.length - 1];
  const body = frame.body;
  const newLineSincePrevious = previous !== undefined && /[\n\r]/.test(text.slice(previous.startOffset + previous.image.length, offset - prefix.length));
  const statement = frame.statement;
  const lastOfStatement = statement[statement.length - 1];
  const statementStart =
    frame.open === '{' &&
    (statement.length === 0 ||
      lastOfStatement?.image === ',' ||
      (newLineSincePrevious && completesExpression(lastOfStatement) && (body !== 'model' || frame.member !== undefined)));
  const call = frame.open === '(' ? frame.call : undefined;
  if (call) {
    const named = namedArgument(frame.statement);
    if (named) call.currentName = named;
  }
  const afterEquals = previous?.image === '=';
  const namingPosition = previous !== undefined && !statementStart && namingWords.has(previous.image) && previous.tokenType.name !== 'Identifier';
  return {
    body,
    ...(frame.model !== undefined ? { model: frame.model } : {}),
    ...(frame.member !== undefined && !statementStart ? { member: frame.member } : {}),
    statementStart,
    afterEquals,
    afterCorruptWord: previous?.image === 'with' || previous?.image === 'then',
    inList: frame.open === '[',
    ...(call ? { call } : {}),
    prefix,
    namingPosition,
  };
}

function bodyOpenedBy(frame: Frame): BodyKind {
  const words = frame.statement.map((t) => t.image);
  const first = frame.member ?? words[0];
  if (frame.body === 'file') {
    if (first === 'model') return 'model';
    if (first === 'block') return 'layers';
    return 'other';
  }
  if (frame.body === 'model') {
    if (first === 'encoder' || first === 'decoder' || first === 'head') return 'layers';
    if (first === 'train') return 'train';
    return 'other';
  }
  if (frame.body === 'layers' && words.includes('repeat')) return 'layers';
  return 'other';
}

function modelName(frame: Frame): string | undefined {
  const words = frame.statement.map((t) => t.image);
  return frame.body === 'file' && words[0] === 'model' ? words[1] : undefined;
}

/** Does `token` begin a new statement of this body? Members begin with their keyword, train settings
 *  and layers with a name after a finished one on an earlier line. */
function startsStatement(frame: Frame, token: IToken, previous: IToken | undefined, text: string): boolean {
  if (frame.statement.length === 0) return true;
  if (frame.body === 'file') return ['model', 'block', 'let', 'import'].includes(token.image) && token.tokenType.name !== 'Identifier';
  if (frame.body === 'model') return memberWords.has(token.image) && token.tokenType.name !== 'Identifier' && !isReference(frame, previous);
  const last = frame.statement[frame.statement.length - 1];
  if (last?.image === ',') return true;
  const between = previous ? text.slice(previous.startOffset + previous.image.length, token.startOffset) : '';
  return /[\n\r]/.test(between) && completesExpression(last) && !['as', '='].includes(token.image) && !isOperator(token);
}

/** `mirror(encoder)` and `freeze = [encoder]` use member words as references. */
function isReference(frame: Frame, previous: IToken | undefined): boolean {
  return previous !== undefined && (previous.image === '(' || previous.image === '[' || previous.image === ',') && frame.statement.length > 0;
}

function beginStatement(frame: Frame, token: IToken): void {
  frame.statement = token.image === ',' ? [] : [token];
  if (token.image === ',') {
    frame.member = undefined;
    return;
  }
  frame.member = frame.body === 'model' || frame.body === 'train' ? token.image : undefined;
}

function completesExpression(token: IToken | undefined): boolean {
  if (!token) return false;
  return /^[A-Za-z_0-9"')\]}]/.test(token.image) || token.tokenType.name === 'NumberLiteral';
}

function isOperator(token: IToken): boolean {
  return ['+', '-', '*', '/', '.', ')', ']', ','].includes(token.image);
}

function calleeBefore(tokens: IToken[], index: number): { name: string; namespace?: string } {
  const name = tokens[index - 1];
  if (!name || !/^[A-Za-z_]/.test(name.image)) return { name: '' };
  if (tokens[index - 2]?.image === '.' && tokens[index - 3]) return { name: name.image, namespace: tokens[index - 3]!.image };
  return { name: name.image };
}

function siteOf(frame: Frame): CallSite {
  if (frame.body === 'layers') return 'layer';
  if (frame.body === 'train') return frame.member === 'loss' ? 'loss' : 'train';
  if (frame.open === '(' && frame.call) return frame.call.site;
  switch (frame.member) {
    case 'latent':
      return 'latent';
    case 'corrupt':
      return 'corruption';
    case 'output':
      return 'output';
    case 'decoder':
      return 'layer';
    default:
      return 'loss';
  }
}

/** `act = relu` → `act`: the statement of an argument written by name. */
function namedArgument(tokens: IToken[]): string | undefined {
  return tokens.length >= 2 && tokens[1]!.image === '=' && tokens[0]!.tokenType.name === 'Identifier' ? tokens[0]!.image : undefined;
}
