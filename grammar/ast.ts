// The abstract syntax tree of a `.ae` file. Every node carries the source range it was built from,
// so that every later phase (checker, IR, formatter, language server) can point back at the text.
// The parser builds this tree even from broken input: a node whose text was missing is marked
// `recovered: true`, and later phases skip checks on recovered nodes instead of piling on errors.

export type { Position, SourceRange } from '../diagnostics/source-range.js';
import type { SourceRange } from '../diagnostics/source-range.js';

interface NodeBase {
  range: SourceRange;
  /** True when error recovery invented or truncated this node; checks skip it. */
  recovered?: boolean;
}

export interface Identifier extends NodeBase {
  kind: 'Identifier';
  name: string;
}

export interface Comment extends NodeBase {
  kind: 'Comment';
  /** The full comment text including `//` or the slash-star delimiters. */
  text: string;
  block: boolean;
}

// ---------------------------------------------------------------- expressions

export interface NumberLiteral extends NodeBase {
  kind: 'NumberLiteral';
  value: number;
  /** The digits as written (`1e-3`), so the formatter prints what the user wrote. */
  raw: string;
}

export interface StringLiteral extends NodeBase {
  kind: 'StringLiteral';
  value: string;
  raw: string;
}

export interface BooleanLiteral extends NodeBase {
  kind: 'BooleanLiteral';
  value: boolean;
}

/** A bare name: a constant, a tensor name, an enum-like word (`same`, `relu`, `sum`), or a keyword
 *  used as a reference (`encoder` in `mirror(encoder)` and `freeze = [encoder]`). */
export interface NameRef extends NodeBase {
  kind: 'NameRef';
  name: string;
}

export interface Argument extends NodeBase {
  kind: 'Argument';
  /** Present for named arguments (`act = relu`). */
  name?: Identifier;
  value: Expression;
}

/** `f`, `f()`, `f(1, act = relu)`, `lib.down(16)`. `hasParens` distinguishes `flatten` from `flatten()`. */
export interface Call extends NodeBase {
  kind: 'Call';
  callee: NameRef | MemberAccess;
  args: Argument[];
  hasParens: boolean;
}

export interface ListExpression extends NodeBase {
  kind: 'ListExpression';
  elements: Expression[];
}

export type BinaryOperator = '+' | '-' | '*' | '/';

export interface BinaryExpression extends NodeBase {
  kind: 'BinaryExpression';
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
}

export interface UnaryExpression extends NodeBase {
  kind: 'UnaryExpression';
  operator: '-' | '+';
  operand: Expression;
}

/** `a.b`: a member of an imported file (`lib.code`) or of a tensor/phase. */
export interface MemberAccess extends NodeBase {
  kind: 'MemberAccess';
  object: Expression;
  member: Identifier;
}

/** `enc[2]`. */
export interface IndexExpression extends NodeBase {
  kind: 'IndexExpression';
  object: Expression;
  index: Expression;
}

/** `( expr )`, kept so the formatter can keep the user's parentheses. */
export interface ParenExpression extends NodeBase {
  kind: 'ParenExpression';
  expression: Expression;
}

/** Stands where an expression was required but none could be parsed. */
export interface MissingExpression extends NodeBase {
  kind: 'MissingExpression';
  recovered: true;
}

export type Expression =
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | NameRef
  | Call
  | ListExpression
  | BinaryExpression
  | UnaryExpression
  | MemberAccess
  | IndexExpression
  | ParenExpression
  | MissingExpression;

// ---------------------------------------------------------------- layers

/** One layer: a call (`dense(64, act = relu)`, `flatten`, a block) optionally named with `as`. */
export interface LayerCall extends NodeBase {
  kind: 'LayerCall';
  call: Call;
  alias?: Identifier;
}

/** `repeat 3 { ... }`: the layers, that many times. */
export interface RepeatLayers extends NodeBase {
  kind: 'RepeatLayers';
  count: Expression;
  layers: Layer[];
}

export type Layer = LayerCall | RepeatLayers;

// ---------------------------------------------------------------- model members

/** `[28, 28, 1] in [0, 1]`. */
export interface TensorType extends NodeBase {
  kind: 'TensorType';
  dimensions: Expression[];
  valueRange?: { low: Expression; high: Expression; range: SourceRange };
}

/** `label(10)`: a class index in [0, classes). */
export interface LabelType extends NodeBase {
  kind: 'LabelType';
  classes: Expression;
}

/** `table(amount, hour, merchant: category(40))`: named columns, read by name from a CSV header. */
export interface TableType extends NodeBase {
  kind: 'TableType';
  columns: TableColumn[];
}

/** `amount` (numeric) or `merchant: category(40)` (categorical: `category` is the call). */
export interface TableColumn extends NodeBase {
  kind: 'TableColumn';
  name: Identifier;
  category?: Call;
}

export interface InputMember extends NodeBase {
  kind: 'InputMember';
  name: Identifier;
  type: TensorType | LabelType | TableType;
}

/** `corrupt x with gaussian(std = 0.5) then clip(0, 1)`. */
export interface CorruptMember extends NodeBase {
  kind: 'CorruptMember';
  target: Identifier;
  chain: Call[];
}

export interface EncoderMember extends NodeBase {
  kind: 'EncoderMember';
  /** The keyword's range, for diagnostics about the encoder as a whole. */
  keyword: SourceRange;
  /** `encoder on x, y { ... }`: the tensors it reads, concatenated; absent: the reconstructed input. */
  reads?: NameRef[];
  layers: Layer[];
}

/** `decoder { ... }` (explicit layers) or `decoder = mirror(encoder, tied = true)`. */
export interface DecoderMember extends NodeBase {
  kind: 'DecoderMember';
  keyword: SourceRange;
  /** `decoder on z, y { ... }`: the code and the conditions it reads, concatenated; absent: the code. */
  reads?: NameRef[];
  layers?: Layer[];
  mirror?: MirrorSpec;
}

export interface MirrorSpec extends NodeBase {
  kind: 'MirrorSpec';
  /** What is mirrored: `encoder` (the only legal source today, kept as written for diagnostics). */
  source: NameRef;
  args: Argument[];
}

/** `latent z = dense(30)` / `gaussian(2)` / `vq(...)` / `binary(k)` / `onehot(k)` / `identity`. */
export interface LatentMember extends NodeBase {
  kind: 'LatentMember';
  name: Identifier;
  value: Call;
}

/** `output x_hat = sigmoid` (a bare activation, or `leaky_relu(0.2)`). */
export interface OutputMember extends NodeBase {
  kind: 'OutputMember';
  name: Identifier;
  activation: Call;
}

/** `head digits on z { dense(10, act = softmax) }`. */
export interface HeadMember extends NodeBase {
  kind: 'HeadMember';
  name: Identifier;
  on: NameRef;
  layers: Layer[];
}

export interface LossMember extends NodeBase {
  kind: 'LossMember';
  value: Expression;
}

/** `name = value` inside a `train` phase. */
export interface TrainSetting extends NodeBase {
  kind: 'TrainSetting';
  name: Identifier;
  value: Expression;
  /** Written as a bare call, `early_stop(patience = 3)`: short for `early_stop = early_stop(patience = 3)`.
   *  `value` is then that call (its callee is `name`); the formatter prints it back as written. */
  shorthand?: true;
}

/** `train NAME? { settings; loss = ... }`. The phase-local loss may appear among the settings. */
export interface TrainMember extends NodeBase {
  kind: 'TrainMember';
  name?: Identifier;
  settings: TrainSetting[];
  loss?: LossMember;
}

export type ModelMember =
  | InputMember
  | CorruptMember
  | EncoderMember
  | DecoderMember
  | LatentMember
  | OutputMember
  | HeadMember
  | LossMember
  | TrainMember;

// ---------------------------------------------------------------- top level

export interface ImportDeclaration extends NodeBase {
  kind: 'ImportDeclaration';
  path: StringLiteral;
  alias?: Identifier;
}

export interface LetDeclaration extends NodeBase {
  kind: 'LetDeclaration';
  name: Identifier;
  value: Expression;
}

export interface BlockParameter extends NodeBase {
  kind: 'BlockParameter';
  name: Identifier;
  /** `block down(c, k = 3)`: a default makes the parameter optional. */
  default?: Expression;
}

export interface BlockDeclaration extends NodeBase {
  kind: 'BlockDeclaration';
  name: Identifier;
  parameters: BlockParameter[];
  layers: Layer[];
}

export interface ModelDeclaration extends NodeBase {
  kind: 'ModelDeclaration';
  name: Identifier;
  members: ModelMember[];
}

export type Declaration = ImportDeclaration | LetDeclaration | BlockDeclaration | ModelDeclaration;

export interface SourceFile extends NodeBase {
  kind: 'SourceFile';
  declarations: Declaration[];
  /** Every comment in source order; the formatter attaches them through Prettier. */
  comments: Comment[];
}

export type AstNode =
  | SourceFile
  | Declaration
  | ModelMember
  | MirrorSpec
  | TrainSetting
  | TensorType
  | LabelType
  | TableType
  | TableColumn
  | BlockParameter
  | Layer
  | Argument
  | Expression
  | Identifier
  | Comment;
