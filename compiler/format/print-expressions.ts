// Expressions: literals as written (`1e-3` stays `1e-3`), calls and lists that break Prettier's way,
// and arithmetic printed with exactly the parentheses the user wrote (they are `ParenExpression`s).
import type { AstPath, Doc } from 'prettier';
import { builders } from './prettier-standalone.js';
import type { BinaryExpression, BinaryOperator, Expression } from '../../grammar/ast.js';
import { printDelimitedList, printFilledList } from './layout.js';
import { hasComments, hasDanglingComments, printDanglingComments } from './print-comments.js';
import type { PrintChild, PrinterTable } from './print-types.js';

const { group, indent, line } = builders;

type ExpressionKind = Expression['kind'] | 'Argument' | 'Identifier';

const precedence: Record<BinaryOperator, number> = { '+': 1, '-': 1, '*': 2, '/': 2 };

export const expressionPrinters: PrinterTable<ExpressionKind> = {
  NumberLiteral: (path) => path.node.raw,
  StringLiteral: (path) => path.node.raw,
  BooleanLiteral: (path) => (path.node.value ? 'true' : 'false'),
  NameRef: (path) => path.node.name,
  Identifier: (path) => path.node.name,
  MissingExpression: () => '',
  Argument: (path, _options, print) =>
    path.node.name ? [print('name'), ' = ', print('value')] : print('value'),
  Call: (path, options, print) => {
    const callee = print('callee');
    if (!path.node.hasParens) return callee;
    return [callee, printDelimitedList('(', path.map(print, 'args'), ')', printDanglingComments(path, options))];
  },
  ListExpression: (path, options, print) =>
    isNumberList(path.node.elements) && !hasDanglingComments(path.node)
      ? printFilledList('[', path.map(print, 'elements'), ']')
      : printDelimitedList('[', path.map(print, 'elements'), ']', printDanglingComments(path, options)),
  ParenExpression: (path, _options, print) => ['(', print('expression'), ')'],
  UnaryExpression: (path, _options, print) => {
    const operand = path.node.operand;
    // `- -x` must not become `--x`; a bare binary operand needs its parentheses back.
    const space = operand.kind === 'UnaryExpression' ? ' ' : '';
    return [path.node.operator, space, parenthesizeIf(operand.kind === 'BinaryExpression', print('operand'))];
  },
  MemberAccess: (path, _options, print) => [
    parenthesizeIf(isLoose(path.node.object), print('object')),
    '.',
    print('member'),
  ],
  IndexExpression: (path, _options, print) => [
    parenthesizeIf(isLoose(path.node.object), print('object')),
    '[',
    print('index'),
    ']',
  ],
  BinaryExpression: (path, _options, print) => {
    // Indexed, not destructured with a rest element: that goes through the array's iterator, which
    // was the most costly step of printing a file of 60,000 lets like `let c0 = c1 + 1`.
    const chain = printBinaryChain(path, print);
    return group([chain[0], indent(chain.slice(1))]);
  },
};

/**
 * `a + b - c` as one chain: the operands of same-precedence operators on the left are flattened, so a
 * long chain breaks after each operator at the same indentation (as Prettier does for JavaScript).
 */
function printBinaryChain(path: AstPath<BinaryExpression>, print: PrintChild): Doc[] {
  const node = path.node;
  const left = node.left;
  const leftParts =
    left.kind === 'BinaryExpression' && precedence[left.operator] === precedence[node.operator] && !hasComments(left)
      ? path.call((leftPath) => printBinaryChain(leftPath as AstPath<BinaryExpression>, print), 'left')
      : [parenthesizeIf(bindsLooser(left, node.operator, 'left'), print('left'))];
  const right = parenthesizeIf(bindsLooser(node.right, node.operator, 'right'), print('right'));
  leftParts.push([' ', node.operator, line, right]);
  return leftParts;
}

/**
 * Parentheses the tree needs but the user did not write: never for parsed text (the parser keeps
 * them as ParenExpression), only for trees built by hand, so that printing never changes meaning.
 */
function bindsLooser(child: Expression, operator: BinaryOperator, side: 'left' | 'right'): boolean {
  if (child.kind !== 'BinaryExpression') return false;
  const difference = precedence[child.operator] - precedence[operator];
  return difference < 0 || (difference === 0 && side === 'right');
}

function isLoose(expression: Expression): boolean {
  return expression.kind === 'BinaryExpression' || expression.kind === 'UnaryExpression';
}

function parenthesizeIf(condition: boolean, doc: Doc): Doc {
  return condition ? ['(', doc, ')'] : doc;
}

/**
 * Plain numbers (possibly signed), which read well several to a line. Not with comments among them:
 * a line comment must end its line, which `fill` would not guarantee.
 */
function isNumberList(elements: Expression[]): boolean {
  return (
    elements.length > 1 &&
    elements.every(
      (e) =>
        !hasComments(e) &&
        (e.kind === 'NumberLiteral' || (e.kind === 'UnaryExpression' && e.operand.kind === 'NumberLiteral' && !hasComments(e.operand))),
    )
  );
}
