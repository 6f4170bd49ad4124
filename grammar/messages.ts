// Parse-error messages in the user's words: "expected `,` or `)` after an argument, found `act`",
// never token-type dumps. Chevrotain asks this provider for the text of each error; the targeted
// cases that need more context (unclosed braces, dangling operators) are refined afterwards in
// grammar/syntax-errors.ts, which has the whole token stream.
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
  argumentList: { RParen: 'expected `,` or `)` after an argument' },
  listExpression: { RBracket: 'expected `,` or `]` after a list item' },
  blockDeclaration: { RParen: 'expected `,` or `)` after a parameter' },
  layerBlock: { RCurly: 'expected a layer or `}`' },
  modelDeclaration: { RCurly: 'expected a model member (`input`, `encoder`, `latent`, `decoder`, `output`, `loss`, `train`, …) or `}`' },
  trainMember: { RCurly: 'expected a setting (`name = value`) or `}`' },
  parenExpression: { RParen: 'expected `)` to close the parenthesis' },
  indexSuffix: { RBracket: 'expected `]` after the index' },
  labelType: { RParen: 'expected `)` after the number of classes' },
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

export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    pendingExpected = expected;
    const closer = closerExpectations[ruleName]?.[expected.name];
    if (closer && !(previous && ['LParen', 'LBracket'].includes(previous.tokenType.name))) {
      return `${closer}, found ${describeToken(actual)}`;
    }
    const after = previous && previous.image ? ` after ${describeToken(previous)}` : '';
    return `expected ${describeTokenType(expected)}${after}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected \`let\`, \`block\`, \`model\` or \`import\`, found ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, customUserDescription, ruleName }) {
    const wanted =
      customUserDescription ??
      ruleExpectations[ruleName] ??
      joinAlternatives(expectedPathsPerAlt.flatMap((paths) => paths.map((path) => path[0])).filter(isDefined));
    const after = previous && previous.image ? ` after ${describeToken(previous)}` : '';
    return `expected ${wanted}${after}, found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, previous, customUserDescription, ruleName }) {
    const wanted =
      customUserDescription ??
      ruleExpectations[ruleName] ??
      joinAlternatives(expectedIterationPaths.map((path) => path[0]).filter(isDefined));
    const after = previous && previous.image ? ` after ${describeToken(previous)}` : '';
    return `expected ${wanted}${after}, found ${describeToken(actual[0])}`;
  },
};

function joinAlternatives(types: TokenType[]): string {
  const words = [...new Set(types.map(describeTokenType))];
  if (words.length <= 1) return words[0] ?? 'something else';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
