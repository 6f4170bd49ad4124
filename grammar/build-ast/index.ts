// CST → AST. One method per grammar rule (`validateVisitor` fails at once when the grammar gains a
// rule this visitor misses); each delegates to the function that builds it, by area, in this folder.
// Recovery may leave any CST child absent, so every builder tolerates missing children: a missing
// expression becomes a `MissingExpression`, a missing name an Identifier marked `recovered`. The
// checks that the permissive grammar defers land there too: missing commas, `:` for `=` and back,
// keywords used as names, value ranges, `label(n)`.
import type { CstNode } from 'chevrotain';
import type * as ast from '../ast.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { BuildContext } from './context.js';
import * as declarations from './declarations.js';
import * as expressions from './expressions.js';
import * as layers from './layers.js';
import * as members from './members.js';
import * as names from './names.js';
import * as train from './train.js';
import * as types from './types.js';
import type * as cst from '../cst.js';
import { aeParser } from '../parser.js';
import type { LineMap } from '../positions.js';
import type { TokenTape } from '../token-tape.js';

const BaseVisitor = aeParser.getBaseCstVisitorConstructor();

export class AstBuilder extends BaseVisitor implements cst.ICstNodeVisitor<unknown, unknown> {
  private b!: BuildContext;

  constructor() {
    super();
    this.validateVisitor();
  }

  /** Builds the tree of one file; the diagnostics are the syntax checks deferred to this phase. */
  build(root: cst.FileCstNode, lines: LineMap, comments: ast.Comment[]): { ast: ast.SourceFile; diagnostics: Diagnostic[] } {
    this.begin(lines);
    return this.finish(root, comments);
  }

  /** Starts a file whose declarations may be built one at a time with `buildDeclaration`. */
  begin(lines: LineMap): void {
    this.b = new BuildContext(lines);
  }

  /** Builds one top-level declaration now and empties its CST node, so that the CST below it can
   *  be collected at once; `finish` then takes the built tree in the node's place. */
  buildDeclaration(node: cst.DeclarationCstNode): void {
    this.b.prebuilt.set(node, declarations.declaration(this.b, node.children));
    const children = node.children as Record<string, unknown[] | undefined>;
    for (const key in children) children[key]!.length = 0;
  }

  /** Builds a plain layer from its tokens on the tape (see `layers.plainLayer`). */
  buildPlainLayer(tape: TokenTape, from: number, to: number): cst.LayerCstNode {
    return layers.plainLayer(this.b, tape, from, to);
  }

  /** Builds a plain member from its tokens on the tape (see `members.plainMember`). */
  buildPlainMember(tape: TokenTape, from: number, to: number): cst.MemberCstNode {
    return members.plainMember(this.b, tape, from, to);
  }

  /** Builds a plain model from its tokens on the tape (see `declarations.plainModel`). */
  buildPlainModel(tape: TokenTape, from: number, to: number, memberEnds: readonly number[]): cst.DeclarationCstNode {
    return declarations.plainModel(this.b, tape, from, to, memberEnds);
  }

  /** Builds a plain block declaration from its tokens on the tape (see `declarations.plainBlock`). */
  buildPlainBlock(tape: TokenTape, from: number, to: number): cst.DeclarationCstNode {
    return declarations.plainBlock(this.b, tape, from, to);
  }

  /** Builds a plain let declaration from its tokens on the tape (see `declarations.plainLet`). */
  buildPlainLet(tape: TokenTape, from: number, to: number): cst.DeclarationCstNode {
    return declarations.plainLet(this.b, tape, from, to);
  }

  /** Builds one layer now (see `layers.buildLayerAhead`). */
  buildLayer(node: cst.LayerCstNode): void {
    layers.buildLayerAhead(this.b, node);
  }

  /** The file's tree from its CST (declarations not built ahead are built now). */
  finish(root: cst.FileCstNode, comments: ast.Comment[]): { ast: ast.SourceFile; diagnostics: Diagnostic[] } {
    const file = declarations.file(this.b, root.children);
    file.comments = comments;
    this.b.prebuilt.clear();
    return { ast: file, diagnostics: this.b.diagnostics };
  }

  // The rule table: the builders call each other directly, these methods exist so that
  // `validateVisitor` (and `implements ICstNodeVisitor`) check every grammar rule has one.

  file(ctx: cst.FileCstChildren) { return declarations.file(this.b, ctx); }
  declaration(ctx: cst.DeclarationCstChildren) { return declarations.declaration(this.b, ctx); }
  importDeclaration(ctx: cst.ImportDeclarationCstChildren, node?: CstNode) { return declarations.importDeclaration(this.b, ctx, node); }
  letDeclaration(ctx: cst.LetDeclarationCstChildren, node?: CstNode) { return declarations.letDeclaration(this.b, ctx, node); }
  blockDeclaration(ctx: cst.BlockDeclarationCstChildren, node?: CstNode) { return declarations.blockDeclaration(this.b, ctx, node); }
  blockParameter(ctx: cst.BlockParameterCstChildren, node?: CstNode) { return declarations.blockParameter(this.b, ctx, node); }
  modelDeclaration(ctx: cst.ModelDeclarationCstChildren, node?: CstNode) { return declarations.modelDeclaration(this.b, ctx, node); }

  name(ctx: cst.NameCstChildren, fallback?: number) { return names.name(this.b, ctx, fallback); }
  reference(ctx: cst.ReferenceCstChildren, fallback?: number) { return names.reference(this.b, ctx, fallback); }

  member(ctx: cst.MemberCstChildren) { return members.member(this.b, ctx); }
  unknownMember(ctx: cst.UnknownMemberCstChildren) { return members.unknownMember(this.b, ctx); }
  inputMember(ctx: cst.InputMemberCstChildren, node?: CstNode) { return members.inputMember(this.b, ctx, node); }
  corruptMember(ctx: cst.CorruptMemberCstChildren, node?: CstNode) { return members.corruptMember(this.b, ctx, node); }
  encoderMember(ctx: cst.EncoderMemberCstChildren, node?: CstNode) { return members.encoderMember(this.b, ctx, node); }
  decoderMember(ctx: cst.DecoderMemberCstChildren, node?: CstNode) { return members.decoderMember(this.b, ctx, node); }
  readsClause(ctx: cst.ReadsClauseCstChildren) { return members.readsOf(this.b, { name: 'readsClause', children: ctx } as cst.ReadsClauseCstNode); }
  latentMember(ctx: cst.LatentMemberCstChildren, node?: CstNode) { return members.latentMember(this.b, ctx, node); }
  outputMember(ctx: cst.OutputMemberCstChildren, node?: CstNode) { return members.outputMember(this.b, ctx, node); }
  headMember(ctx: cst.HeadMemberCstChildren, node?: CstNode) { return members.headMember(this.b, ctx, node); }
  lossMember(ctx: cst.LossMemberCstChildren, node?: CstNode) { return members.lossMember(this.b, ctx, node); }
  trainMember(ctx: cst.TrainMemberCstChildren, node?: CstNode) { return train.trainMember(this.b, ctx, node); }
  trainSetting(ctx: cst.TrainSettingCstChildren, node?: CstNode) { return train.trainSetting(this.b, ctx, node); }

  tensorType(ctx: cst.TensorTypeCstChildren, node?: CstNode) { return types.tensorType(this.b, ctx, node); }
  labelType(ctx: cst.LabelTypeCstChildren, node?: CstNode) { return types.labelType(this.b, ctx, node); }
  tableType(ctx: cst.TableTypeCstChildren, node?: CstNode) { return types.tableType(this.b, ctx, node); }
  tableColumn(ctx: cst.TableColumnCstChildren, node?: CstNode) { return types.tableColumn(this.b, ctx, node); }

  layerBlock(ctx: cst.LayerBlockCstChildren) { return layers.layerBlock(this.b, ctx); }
  layer(ctx: cst.LayerCstChildren) { return layers.layer(this.b, ctx); }
  repeatLayer(ctx: cst.RepeatLayerCstChildren, node?: CstNode) { return layers.repeatLayer(this.b, ctx, node); }
  layerCall(ctx: cst.LayerCallCstChildren, node?: CstNode) { return layers.layerCall(this.b, ctx, node); }
  call(ctx: cst.CallCstChildren, node?: CstNode) { return layers.call(this.b, ctx, node); }

  expression(ctx: cst.ExpressionCstChildren, fallback?: number) { return expressions.expression(this.b, ctx, fallback); }
  operand(ctx: cst.OperandCstChildren, node?: CstNode, fallback?: number) { return expressions.operand(this.b, ctx, node, fallback); }
  memberSuffix(): void {
    // Folded into `operand`, which needs the suffixes of all kinds in source order.
  }
  indexSuffix(): void {
    // Folded into `operand`.
  }
  parenExpression(ctx: cst.ParenExpressionCstChildren, node?: CstNode) { return expressions.parenExpression(this.b, ctx, node); }
  listExpression(ctx: cst.ListExpressionCstChildren, node?: CstNode) { return expressions.listExpression(this.b, ctx, node); }
  argumentList(ctx: cst.ArgumentListCstChildren, node?: CstNode) { return expressions.argumentList(this.b, ctx, node); }
  argument(ctx: cst.ArgumentCstChildren, node?: CstNode) { return expressions.argument(this.b, ctx, node); }
}
