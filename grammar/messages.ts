// Parse-error messages in the user's words: "expected `,` or `)` after an argument, found `act`",
// never token-type dumps. Chevrotain asks this provider for the text of each error; it answers with
// what was expected ("`,` or `)` after an argument"), and grammar/syntax-errors.ts, which has the
// whole token stream, words the diagnostic from AE1010's template (or refines it: unclosed braces,
// dangling operators).
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { EOF } from './chevrotain.js';

/** How a token is quoted in a message: "`{`", "`dense`", "the end of the file". */
export function describeToken(token: IToken | undefined): string {
  if (token === undefined || token.tokenType === EOF) return 'the end of the file';
  const image = token.image.length > 20 ? `${token.image.slice(0, 20)}…` : token.image;
  return `\`${image}\``;
}

/** What a token type is called in a message: its label ("`=`", "a name"). */
export function describeTokenType(type: TokenType): string {
  if (type === EOF) return 'the end of the file';
  return type.LABEL ?? type.name;
}

/** What a rule is waiting for, in words, when a closing token is missing. */
const closerExpectations: Record<string, Record<string, string>> = {
  argumentList: { RParen: '`,` or `)` after an argument' },
  listExpression: { RBracket: '`,` or `]` after a list item' },
  blockDeclaration: { RParen: '`,` or `)` after a parameter' },
  layerBlock: { RCurly: 'a layer or `}`' },
  modelDeclaration: { RCurly: 'a model member (`input`, `encoder`, `latent`, `decoder`, `output`, `loss`, `train`, …) or `}`' },
  trainMember: { RCurly: 'a setting (`name = value`) or `}`' },
  parenExpression: { RParen: '`)` to close the parenthesis' },
  indexSuffix: { RBracket: '`]` after the index' },
  labelType: { RParen: '`)` after the number of classes' },
};

/** What a rule expects when it has no viable alternative. */
const ruleExpectations: Record<string, string> = {
  declaration: '`let`, `block`, `model` or `import`',
  member: 'a model member (`input`, `corrupt`, `encoder`, `latent`, `decoder`, `output`, `head`, `loss`, `train`)',
  inputMember: 'a type: `[dimensions]` or `label(classes)`',
  decoderMember: '`{ layers }` or `= mirror(encoder)`',
  layer: 'a layer',
  name: 'a name',
  reference: 'a name',
  argument: 'an argument',
  operand: 'an expression',
  expression: 'an expression',
};

export function expectationOfRule(ruleName: string): string | undefined {
  return ruleExpectations[ruleName];
}

/** The token type the last mismatch message was built for; the parser attaches it to the exception
 *  it saves next (grammar/parser.ts), so later steps read what was expected, not the message text. */
let pendingExpected: TokenType | undefined;

export function takeMismatchExpectation(): TokenType | undefined {
  const expected = pendingExpected;
  pendingExpected = undefined;
  return expected;
}

/** Each message is what was expected (`expected {expected}, found {found}` is AE1010's template,
 *  filled in where the found token is known: grammar/syntax-errors.ts). */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, previous, ruleName }) {
    pendingExpected = expected;
    const closer = closerExpectations[ruleName]?.[expected.name];
    if (closer && !(previous && ['LParen', 'LBracket'].includes(previous.tokenType.name))) return closer;
    return `${describeTokenType(expected)}${after(previous)}`;
  },
  buildNotAllInputParsedMessage() {
    return ruleExpectations.declaration!;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, previous, customUserDescription, ruleName }) {
    const wanted =
      customUserDescription ??
      ruleExpectations[ruleName] ??
      joinAlternatives(expectedPathsPerAlt.flatMap((paths) => paths.map((path) => path[0])).filter(isDefined));
    return `${wanted}${after(previous)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, previous, customUserDescription, ruleName }) {
    const wanted =
      customUserDescription ??
      ruleExpectations[ruleName] ??
      joinAlternatives(expectedIterationPaths.map((path) => path[0]).filter(isDefined));
    return `${wanted}${after(previous)}`;
  },
};

function after(previous: IToken | undefined): string {
  return previous && previous.image ? ` after ${describeToken(previous)}` : '';
}

function joinAlternatives(types: TokenType[]): string {
  const words = [...new Set(types.map(describeTokenType))];
  if (words.length <= 1) return words[0] ?? 'something else';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
