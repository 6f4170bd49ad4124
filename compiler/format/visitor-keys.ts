// Which properties of each AST node hold child nodes. Prettier walks these to attach comments, so a
// key missing here would make comments near that child attach to the wrong node (or get lost).
// `keyword` ranges are plain ranges, not nodes, and are deliberately absent.
import type { AstNode } from '../../grammar/ast.js';

type Kind = AstNode['kind'];

export const visitorKeys: Readonly<Record<Kind, readonly string[]>> = {
  SourceFile: ['declarations'],
  ImportDeclaration: ['path', 'alias'],
  LetDeclaration: ['name', 'value'],
  BlockDeclaration: ['name', 'parameters', 'layers'],
  BlockParameter: ['name', 'default'],
  ModelDeclaration: ['name', 'members'],
  InputMember: ['name', 'type'],
  TensorType: ['dimensions', 'valueRange'],
  LabelType: ['classes'],
  TableType: ['columns'],
  TableColumn: ['name', 'category'],
  CorruptMember: ['target', 'chain'],
  EncoderMember: ['reads', 'layers'],
  DecoderMember: ['reads', 'layers', 'mirror'],
  MirrorSpec: ['source', 'args'],
  LatentMember: ['name', 'value'],
  OutputMember: ['name', 'activation'],
  HeadMember: ['name', 'on', 'layers'],
  LossMember: ['value'],
  TrainMember: ['name', 'settings', 'loss'],
  TrainSetting: ['name', 'value'],
  LayerCall: ['call', 'alias'],
  RepeatLayers: ['count', 'layers'],
  Argument: ['name', 'value'],
  Call: ['callee', 'args'],
  ListExpression: ['elements'],
  BinaryExpression: ['left', 'right'],
  UnaryExpression: ['operand'],
  MemberAccess: ['object', 'member'],
  IndexExpression: ['object', 'index'],
  ParenExpression: ['expression'],
  NumberLiteral: [],
  StringLiteral: [],
  BooleanLiteral: [],
  NameRef: [],
  MissingExpression: [],
  Identifier: [],
  Comment: [],
};

/** The `in [low, high]` of a tensor type is a plain object, not a node: comments go to its bounds. */
const valueRangeKeys = ['low', 'high'] as const;

export function getVisitorKeys(node: unknown): string[] {
  const kind = (node as { kind?: Kind }).kind;
  // `early_stop(patience = 3)`: the name is the call's callee (one token), printed once, via the value.
  if (kind === 'TrainSetting' && (node as { shorthand?: true }).shorthand) return ['value'];
  if (kind !== undefined && Object.hasOwn(visitorKeys, kind)) return [...visitorKeys[kind]];
  if (node && typeof node === 'object' && 'low' in node && 'high' in node) return [...valueRangeKeys];
  return [];
}
