// CST → AST. One method per grammar rule (`validateVisitor` fails at once when the grammar gains a
// rule this visitor misses). Recovery may leave any CST child absent, so every method tolerates
// missing children: a missing expression becomes a `MissingExpression`, a missing name an
// Identifier marked `recovered`. The checks that the permissive grammar defers land here:
// missing commas, `:` for `=` and back, keywords used as names, value ranges, `label(n)`.
import type { CstNode, IToken } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import type * as ast from '../compiler/ast.js';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../compiler/diagnostics/codes/index.js';
import { didYouMean } from '../compiler/suggest.js';
import type * as cst from './cst.js';
import { aeParser } from './parser.js';
import type { LineMap } from './positions.js';
import { cstSpan, first, isRealToken, replaceFix, tokenSpan, unescapeString } from './syntax-helpers.js';
import * as t from './tokens.js';

const BaseVisitor = aeParser.getBaseCstVisitorConstructor();

type Span = { start: number; end: number };
const memberKeywords = ['input', 'corrupt', 'encoder', 'latent', 'decoder', 'output', 'head', 'loss', 'train'];

type Separated = 'arguments' | 'list items' | 'parameters';

export class AstBuilder extends BaseVisitor implements cst.ICstNodeVisitor<unknown, unknown> {
  private lines!: LineMap;
  private diagnostics: Diagnostic[] = [];

  constructor() {
    super();
    this.validateVisitor();
  }

  /** Trees of the declarations built ahead, as the parser finished each (see `buildDeclaration`). */
  private prebuilt = new Map<CstNode, ast.Declaration | undefined>();

  /** Builds the tree of one file; the diagnostics are the syntax checks deferred to this phase. */
  build(root: cst.FileCstNode, lines: LineMap, comments: ast.Comment[]): { ast: ast.SourceFile; diagnostics: Diagnostic[] } {
    this.begin(lines);
    return this.finish(root, comments);
  }

  /** Starts a file whose declarations may be built one at a time with `buildDeclaration`. */
  begin(lines: LineMap): void {
    this.lines = lines;
    this.diagnostics = [];
    this.prebuilt = new Map();
  }

  /** Builds one top-level declaration now and empties its CST node, so that the CST below it can
   *  be collected at once; `finish` then takes the built tree in the node's place. */
  buildDeclaration(node: cst.DeclarationCstNode): void {
    this.prebuilt.set(node, this.declaration(node.children));
    const children = node.children as Record<string, unknown[] | undefined>;
    for (const key in children) children[key]!.length = 0;
  }

  /** The file's tree from its CST (declarations not built ahead are built now). */
  finish(root: cst.FileCstNode, comments: ast.Comment[]): { ast: ast.SourceFile; diagnostics: Diagnostic[] } {
    const file = this.file(root.children);
    file.comments = comments;
    this.prebuilt = new Map();
    return { ast: file, diagnostics: this.diagnostics };
  }

  // ---------------------------------------------------------------- helpers

  private range(span: Span): ast.SourceRange {
    return this.lines.range(span.start, span.end);
  }

  private report(code: DiagnosticCode, message: string, span: Span, options: Parameters<typeof diagnostic>[3] = {}): void {
    this.diagnostics.push(diagnostic(code, message, this.range(span), options));
  }

  /** The span of a node, from its CST location, else from what was built of it, else empty at `fallback`. */
  private spanOf(node: CstNode | undefined, fallback: number, ...parts: Array<{ range: ast.SourceRange } | undefined>): Span {
    const located = cstSpan(node);
    if (located) return located;
    let firstPart: { range: ast.SourceRange } | undefined;
    let lastPart: { range: ast.SourceRange } | undefined;
    for (const part of parts) {
      if (part === undefined) continue;
      firstPart ??= part;
      lastPart = part;
    }
    if (firstPart && lastPart) return { start: firstPart.range.start.offset, end: lastPart.range.end.offset };
    return { start: fallback, end: fallback };
  }

  /** Where a missing piece would go: just after the last real token before it. */
  private after(...tokens: Array<IToken | undefined>): number {
    let end = 0;
    for (const token of tokens) if (isRealToken(token)) end = Math.max(end, tokenSpan(token).end);
    return end;
  }

  private identifierFromToken(token: IToken | undefined, fallback: number): ast.Identifier {
    if (!isRealToken(token)) return { kind: 'Identifier', name: '', range: this.range({ start: fallback, end: fallback }), recovered: true };
    return { kind: 'Identifier', name: token.image, range: this.range(tokenSpan(token)) };
  }

  private missingExpression(at: number): ast.MissingExpression {
    return { kind: 'MissingExpression', recovered: true, range: this.range({ start: at, end: at }) };
  }

  private expressionOr(node: cst.ExpressionCstNode | undefined, fallback: number): ast.Expression {
    return node ? this.expression(node.children, fallback) : this.missingExpression(fallback);
  }

  /** `=` is required here; `:` parses (so the rest of the file does) but is reported with a fix. */
  private expectEquals(binder: IToken | undefined, where: string): void {
    if (!isRealToken(binder) || binder.image === '=') return;
    const range = this.range(tokenSpan(binder));
    this.diagnostics.push(
      diagnostic('AE1013', `expected \`=\` ${where}, found \`:\``, range, {
        notes: ['`:` gives an input its type (`input x: [784]`); everything else is bound with `=`'],
        fix: replaceFix('replace `:` with `=`', range, '='),
      }),
    );
  }

  private expectColon(binder: IToken | undefined): void {
    if (!isRealToken(binder) || binder.image === ':') return;
    const range = this.range(tokenSpan(binder));
    this.diagnostics.push(
      diagnostic('AE1014', 'expected `:` between an input and its type, found `=`', range, {
        notes: ['an input is declared with its type: `input x: [28, 28, 1] in [0, 1]`'],
        fix: replaceFix('replace `=` with `:`', range, ':'),
      }),
    );
  }

  /** The grammar lets separators be optional so a missing one is reported here, once, with a fix. */
  private checkCommas(items: Array<{ range: ast.SourceRange }>, commas: IToken[] | undefined, what: Separated): void {
    if (items.length < 2) return;
    // Items and commas are both in source order: one pass with a cursor into the commas.
    const commaOffsets = (commas ?? []).filter(isRealToken).map((c) => c.startOffset);
    let comma = 0;
    for (let i = 1; i < items.length; i++) {
      const previous = items[i - 1]!.range;
      const current = items[i]!.range;
      if (previous.end.offset === previous.start.offset || current.end.offset === current.start.offset) continue;
      while (comma < commaOffsets.length && commaOffsets[comma]! < previous.end.offset) comma++;
      const separated = comma < commaOffsets.length && commaOffsets[comma]! < current.start.offset;
      if (separated) continue;
      const insertAt = this.range({ start: previous.end.offset, end: previous.end.offset });
      this.diagnostics.push(
        diagnostic('AE1011', `missing \`,\` between ${what}`, current, {
          fix: { message: 'insert `,`', edits: [{ range: insertAt, newText: ',' }] },
        }),
      );
    }
  }

  // ---------------------------------------------------------------- top level

  file(ctx: cst.FileCstChildren): ast.SourceFile {
    const declarations = (ctx.declaration ?? []).flatMap((d) => {
      const built = this.prebuilt.has(d) ? this.prebuilt.get(d) : this.declaration(d.children);
      return built ? [built] : [];
    });
    return { kind: 'SourceFile', declarations, comments: [], range: this.range({ start: 0, end: this.lines.text.length }) };
  }

  declaration(ctx: cst.DeclarationCstChildren): ast.Declaration | undefined {
    const importNode = first(ctx.importDeclaration);
    if (importNode) return this.importDeclaration(importNode.children, importNode);
    const letNode = first(ctx.letDeclaration);
    if (letNode) return this.letDeclaration(letNode.children, letNode);
    const blockNode = first(ctx.blockDeclaration);
    if (blockNode) return this.blockDeclaration(blockNode.children, blockNode);
    const modelNode = first(ctx.modelDeclaration);
    if (modelNode) return this.modelDeclaration(modelNode.children, modelNode);
    return undefined;
  }

  importDeclaration(ctx: cst.ImportDeclarationCstChildren, node?: CstNode): ast.ImportDeclaration {
    const pathToken = first(ctx.StringLiteral);
    const afterImport = this.after(first(ctx.Import));
    const path: ast.StringLiteral = isRealToken(pathToken)
      ? this.stringLiteral(pathToken)
      : { kind: 'StringLiteral', value: '', raw: '', range: this.range({ start: afterImport, end: afterImport }), recovered: true };
    const aliasNode = first(ctx.name);
    const alias = aliasNode ? this.name(aliasNode.children, this.after(first(ctx.As))) : undefined;
    return {
      kind: 'ImportDeclaration',
      path,
      ...(alias ? { alias } : {}),
      range: this.range(this.spanOf(node, afterImport, path, alias)),
      ...(node?.recoveredNode ? { recovered: true } : {}),
    };
  }

  letDeclaration(ctx: cst.LetDeclarationCstChildren, node?: CstNode): ast.LetDeclaration {
    const binder = first(ctx.Binder);
    this.expectEquals(binder, 'after the name in `let`');
    const name = this.nameOr(first(ctx.name), this.after(first(ctx.Let)));
    const value = this.expressionOr(first(ctx.expression), this.after(first(ctx.Let), binder));
    return { kind: 'LetDeclaration', name, value, range: this.range(this.spanOf(node, name.range.start.offset, name, value)), ...this.recoveredFlag(node) };
  }

  blockDeclaration(ctx: cst.BlockDeclarationCstChildren, node?: CstNode): ast.BlockDeclaration {
    const name = this.nameOr(first(ctx.name), this.after(first(ctx.Block)));
    const parameters = (ctx.blockParameter ?? []).map((p) => this.blockParameter(p.children, p));
    this.checkCommas(parameters, ctx.Comma, 'parameters');
    const layers = this.layersOf(first(ctx.layerBlock));
    return {
      kind: 'BlockDeclaration',
      name,
      parameters,
      layers,
      range: this.range(this.spanOf(node, name.range.start.offset, name)),
      ...this.recoveredFlag(node),
    };
  }

  blockParameter(ctx: cst.BlockParameterCstChildren, node?: CstNode): ast.BlockParameter {
    const name = this.nameOr(first(ctx.name), cstSpan(node)?.start ?? 0);
    const binder = first(ctx.Binder);
    this.expectEquals(binder, 'before a parameter default');
    const defaultNode = first(ctx.expression);
    const value = binder ? this.expressionOr(defaultNode, this.after(binder)) : undefined;
    return {
      kind: 'BlockParameter',
      name,
      ...(value ? { default: value } : {}),
      range: this.range(this.spanOf(node, name.range.start.offset, name, value)),
    };
  }

  modelDeclaration(ctx: cst.ModelDeclarationCstChildren, node?: CstNode): ast.ModelDeclaration {
    const name = this.nameOr(first(ctx.name), this.after(first(ctx.Model)));
    const members = (ctx.member ?? []).flatMap((m) => {
      const built = this.member(m.children);
      return built ? [built] : [];
    });
    return { kind: 'ModelDeclaration', name, members, range: this.range(this.spanOf(node, name.range.start.offset, name)), ...this.recoveredFlag(node) };
  }

  name(ctx: cst.NameCstChildren, fallback?: number, allowLoss = false): ast.Identifier {
    const identifier = first(ctx.Identifier);
    if (identifier) return this.identifierFromToken(identifier, fallback ?? 0);
    const word = first(ctx.Keyword);
    const built = this.identifierFromToken(word, fallback ?? 0);
    if (isRealToken(word) && !(allowLoss && word.image === 'loss')) {
      const replacement = `${word.image}_`;
      this.diagnostics.push(
        diagnostic('AE1015', `\`${word.image}\` is a keyword and cannot be used as a name; rename it, e.g. \`${replacement}\``, built.range, {
          fix: replaceFix(`rename to \`${replacement}\``, built.range, replacement),
        }),
      );
    }
    return built;
  }

  private nameOr(node: cst.NameCstNode | undefined, fallback: number, allowLoss = false): ast.Identifier {
    return node ? this.name(node.children, fallback, allowLoss) : this.identifierFromToken(undefined, fallback);
  }

  private recoveredFlag(node: CstNode | undefined): { recovered?: true } {
    return node?.recoveredNode ? { recovered: true } : {};
  }

  // ---------------------------------------------------------------- model members

  member(ctx: cst.MemberCstChildren): ast.ModelMember | undefined {
    const [key, nodes] = Object.entries(ctx)[0] ?? [];
    const node = (nodes as CstNode[] | undefined)?.[0];
    if (!key || !node) return undefined;
    switch (key) {
      case 'inputMember': return this.inputMember(node.children as cst.InputMemberCstChildren, node);
      case 'corruptMember': return this.corruptMember(node.children as cst.CorruptMemberCstChildren, node);
      case 'encoderMember': return this.encoderMember(node.children as cst.EncoderMemberCstChildren, node);
      case 'latentMember': return this.latentMember(node.children as cst.LatentMemberCstChildren, node);
      case 'decoderMember': return this.decoderMember(node.children as cst.DecoderMemberCstChildren, node);
      case 'outputMember': return this.outputMember(node.children as cst.OutputMemberCstChildren, node);
      case 'headMember': return this.headMember(node.children as cst.HeadMemberCstChildren, node);
      case 'lossMember': return this.lossMember(node.children as cst.LossMemberCstChildren, node);
      case 'trainMember': return this.trainMember(node.children as cst.TrainMemberCstChildren, node);
      case 'unknownMember': return this.unknownMember(node.children as cst.UnknownMemberCstChildren);
      default: return undefined;
    }
  }

  /** Reported and left out of the tree: the checker never sees a member it cannot know. */
  unknownMember(ctx: cst.UnknownMemberCstChildren): undefined {
    const word = first(ctx.Identifier);
    if (!isRealToken(word)) return undefined;
    const hint = didYouMean(word.image, memberKeywords);
    this.report('AE1023', `\`${word.image}\` is not a model member; members are ${memberKeywords.map((k) => `\`${k}\``).join(', ')}`, tokenSpan(word), {
      ...(hint ? { notes: [hint] } : {}),
    });
    return undefined;
  }

  inputMember(ctx: cst.InputMemberCstChildren, node?: CstNode): ast.InputMember {
    const name = this.nameOr(first(ctx.name), this.after(first(ctx.Input)));
    const binder = first(ctx.Binder);
    this.expectColon(binder);
    const tensorNode = first(ctx.tensorType);
    const labelNode = first(ctx.labelType);
    const fallback = this.after(first(ctx.Input), binder) || name.range.end.offset;
    const type: ast.TensorType | ast.LabelType = tensorNode
      ? this.tensorType(tensorNode.children, tensorNode)
      : labelNode
        ? this.labelType(labelNode.children, labelNode)
        : { kind: 'TensorType', dimensions: [], range: this.range({ start: fallback, end: fallback }), recovered: true };
    return { kind: 'InputMember', name, type, range: this.range(this.spanOf(node, name.range.start.offset, name, type)), ...this.recoveredFlag(node) };
  }

  tensorType(ctx: cst.TensorTypeCstChildren, node?: CstNode): ast.TensorType {
    const dimensionsNode = first(ctx.dimensions);
    const dimensions = dimensionsNode ? this.listExpression(dimensionsNode.children, dimensionsNode).elements : [];
    const rangeNode = first(ctx.valueRange);
    let valueRange: ast.TensorType['valueRange'];
    if (rangeNode) {
      const list = this.listExpression(rangeNode.children, rangeNode);
      const [low, high] = list.elements;
      if (list.elements.length !== 2 && !rangeNode.recoveredNode) {
        this.report('AE1018', `a value range has two bounds, \`in [low, high]\`; found ${list.elements.length}`, {
          start: list.range.start.offset,
          end: list.range.end.offset,
        });
      }
      const at = list.range.end.offset;
      valueRange = { low: low ?? this.missingExpression(at), high: high ?? this.missingExpression(at), range: list.range };
    } else if (first(ctx.In)) {
      const at = this.after(first(ctx.In));
      valueRange = { low: this.missingExpression(at), high: this.missingExpression(at), range: this.range({ start: at, end: at }) };
    }
    const fallback = cstSpan(node)?.start ?? 0;
    return {
      kind: 'TensorType',
      dimensions,
      ...(valueRange ? { valueRange } : {}),
      range: this.range(this.spanOf(node, fallback)),
      ...this.recoveredFlag(node),
    };
  }

  labelType(ctx: cst.LabelTypeCstChildren, node?: CstNode): ast.LabelType {
    const word = first(ctx.labelWord);
    if (isRealToken(word) && word.image !== 'label') {
      const hint = didYouMean(word.image, ['label']);
      this.report('AE1019', `unknown type \`${word.image}\`: an input's type is \`[dimensions]\` or \`label(classes)\``, tokenSpan(word), {
        ...(hint ? { notes: [hint] } : {}),
      });
    }
    const classes = this.expressionOr(first(ctx.expression), this.after(word, first(ctx.LParen)));
    return { kind: 'LabelType', classes, range: this.range(this.spanOf(node, classes.range.start.offset, classes)), ...this.recoveredFlag(node) };
  }

  corruptMember(ctx: cst.CorruptMemberCstChildren, node?: CstNode): ast.CorruptMember {
    const target = this.nameOr(first(ctx.name), this.after(first(ctx.Corrupt)));
    const chain = (ctx.call ?? []).map((c) => this.call(c.children, c));
    return { kind: 'CorruptMember', target, chain, range: this.range(this.spanOf(node, target.range.start.offset, target)), ...this.recoveredFlag(node) };
  }

  encoderMember(ctx: cst.EncoderMemberCstChildren, node?: CstNode): ast.EncoderMember {
    const keyword = first(ctx.Encoder);
    const keywordSpan = isRealToken(keyword) ? tokenSpan(keyword) : { start: cstSpan(node)?.start ?? 0, end: cstSpan(node)?.start ?? 0 };
    return {
      kind: 'EncoderMember',
      keyword: this.range(keywordSpan),
      layers: this.layersOf(first(ctx.layerBlock)),
      range: this.range(this.spanOf(node, keywordSpan.start)),
      ...this.recoveredFlag(node),
    };
  }

  decoderMember(ctx: cst.DecoderMemberCstChildren, node?: CstNode): ast.DecoderMember {
    const keyword = first(ctx.Decoder);
    const keywordSpan = isRealToken(keyword) ? tokenSpan(keyword) : { start: cstSpan(node)?.start ?? 0, end: cstSpan(node)?.start ?? 0 };
    const span = this.spanOf(node, keywordSpan.start);
    const base = { kind: 'DecoderMember' as const, keyword: this.range(keywordSpan), range: this.range(span), ...this.recoveredFlag(node) };
    const layerBlock = first(ctx.layerBlock);
    if (layerBlock) return { ...base, layers: this.layersOf(layerBlock) };
    if (!first(ctx.Mirror)) return { ...base, layers: [], recovered: true };
    this.expectEquals(first(ctx.Binder), 'before `mirror`');
    return { ...base, mirror: this.mirrorSpec(ctx, span) };
  }

  /** `mirror(encoder, tied = true)`: the first positional argument names what is mirrored. */
  private mirrorSpec(ctx: cst.DecoderMemberCstChildren, span: Span): ast.MirrorSpec {
    const mirrorToken = first(ctx.Mirror)!;
    const listNode = first(ctx.argumentList);
    const args = listNode ? this.argumentList(listNode.children, listNode) : [];
    const sourceIndex = args.findIndex((a) => a.name === undefined);
    const sourceArg = args[sourceIndex];
    const mirrorStart = isRealToken(mirrorToken) ? mirrorToken.startOffset : span.start;
    const specSpan = { start: mirrorStart, end: span.end };
    let source: ast.NameRef;
    if (sourceArg && sourceArg.value.kind === 'NameRef') {
      source = sourceArg.value;
    } else {
      const at = sourceArg?.range ?? this.range({ start: this.after(mirrorToken, first(listNode?.children.LParen)), end: this.after(mirrorToken, first(listNode?.children.LParen)) });
      if (listNode && !listNode.recoveredNode) {
        this.diagnostics.push(
          diagnostic('AE1020', '`mirror` needs the part it mirrors as its first argument: `mirror(encoder)`', sourceArg?.range ?? this.range(specSpan)),
        );
      }
      source = { kind: 'NameRef', name: '', range: at, recovered: true };
    }
    return {
      kind: 'MirrorSpec',
      source,
      args: args.filter((_, i) => i !== sourceIndex),
      range: this.range(specSpan),
    };
  }

  latentMember(ctx: cst.LatentMemberCstChildren, node?: CstNode): ast.LatentMember {
    const name = this.nameOr(first(ctx.name), this.after(first(ctx.Latent)));
    const binder = first(ctx.Binder);
    this.expectEquals(binder, 'after the latent name');
    const value = this.callOr(first(ctx.call), this.after(first(ctx.Latent), binder) || name.range.end.offset);
    return { kind: 'LatentMember', name, value, range: this.range(this.spanOf(node, name.range.start.offset, name, value)), ...this.recoveredFlag(node) };
  }

  outputMember(ctx: cst.OutputMemberCstChildren, node?: CstNode): ast.OutputMember {
    const name = this.nameOr(first(ctx.name), this.after(first(ctx.Output)));
    const binder = first(ctx.Binder);
    this.expectEquals(binder, 'after the output name');
    const activation = this.callOr(first(ctx.call), this.after(first(ctx.Output), binder) || name.range.end.offset);
    return {
      kind: 'OutputMember',
      name,
      activation,
      range: this.range(this.spanOf(node, name.range.start.offset, name, activation)),
      ...this.recoveredFlag(node),
    };
  }

  headMember(ctx: cst.HeadMemberCstChildren, node?: CstNode): ast.HeadMember {
    const name = this.nameOr(first(ctx.name), this.after(first(ctx.Head)));
    const referenceNode = first(ctx.reference);
    const onEnd = this.after(first(ctx.On)) || name.range.end.offset;
    const on: ast.NameRef = referenceNode
      ? this.reference(referenceNode.children, onEnd)
      : { kind: 'NameRef', name: '', range: this.range({ start: onEnd, end: onEnd }), recovered: true };
    return {
      kind: 'HeadMember',
      name,
      on,
      layers: this.layersOf(first(ctx.layerBlock)),
      range: this.range(this.spanOf(node, name.range.start.offset, name)),
      ...this.recoveredFlag(node),
    };
  }

  lossMember(ctx: cst.LossMemberCstChildren, node?: CstNode): ast.LossMember {
    const binder = first(ctx.Binder);
    this.expectEquals(binder, 'after `loss`');
    const value = this.expressionOr(first(ctx.expression), this.after(first(ctx.Loss), binder));
    return { kind: 'LossMember', value, range: this.range(this.spanOf(node, value.range.start.offset, value)), ...this.recoveredFlag(node) };
  }

  trainMember(ctx: cst.TrainMemberCstChildren, node?: CstNode): ast.TrainMember {
    const nameNode = first(ctx.name);
    const name = nameNode ? this.name(nameNode.children, this.after(first(ctx.Train))) : undefined;
    const settings: ast.TrainSetting[] = [];
    let loss: ast.LossMember | undefined;
    for (const settingNode of ctx.trainSetting ?? []) {
      const built = this.trainSetting(settingNode.children, settingNode);
      if (built.kind === 'TrainSetting') {
        settings.push(built);
      } else if (loss) {
        this.diagnostics.push(
          diagnostic('AE1021', 'a phase has one `loss`; combine the terms with `+`', built.range, {
            related: [{ message: 'the first `loss` of this phase', range: loss.range }],
          }),
        );
      } else {
        loss = built;
      }
    }
    const start = this.after(first(ctx.Train));
    return {
      kind: 'TrainMember',
      ...(name ? { name } : {}),
      settings,
      ...(loss ? { loss } : {}),
      range: this.range(this.spanOf(node, start)),
      ...this.recoveredFlag(node),
    };
  }

  trainSetting(ctx: cst.TrainSettingCstChildren, node?: CstNode): ast.TrainSetting | ast.LossMember {
    const nameNode = first(ctx.name);
    const fallback = cstSpan(node)?.start ?? 0;
    const name = this.nameOr(nameNode, fallback, true);
    const listNode = first(ctx.argumentList);
    if (listNode) return this.shorthandSetting(name, listNode, node);
    const binder = first(ctx.Binder);
    const isLoss = first(nameNode?.children.Keyword)?.image === 'loss';
    this.expectEquals(binder, isLoss ? 'after `loss`' : `after the setting \`${name.name}\``);
    const value = this.expressionOr(first(ctx.expression), this.after(binder) || name.range.end.offset);
    const range = this.range(this.spanOf(node, name.range.start.offset, name, value));
    if (isLoss) return { kind: 'LossMember', value, range, ...this.recoveredFlag(node) };
    return { kind: 'TrainSetting', name, value, range, ...this.recoveredFlag(node) };
  }

  /** `early_stop(patience = 3)`: the value is the call itself, named like the setting. Whether
   *  the setting accepts that is the objective's business (compiler/objective/phases). */
  private shorthandSetting(name: ast.Identifier, listNode: cst.ArgumentListCstNode, node?: CstNode): ast.TrainSetting {
    const args = this.argumentList(listNode.children, listNode);
    const span = this.spanOf(node, name.range.start.offset, name);
    const callee: ast.NameRef = { kind: 'NameRef', name: name.name, range: name.range, ...(name.recovered ? { recovered: true } : {}) };
    const value: ast.Call = { kind: 'Call', callee, args, hasParens: true, range: this.range(span) };
    return { kind: 'TrainSetting', name, value, shorthand: true, range: this.range(span), ...this.recoveredFlag(node) };
  }

  reference(ctx: cst.ReferenceCstChildren, fallback?: number): ast.NameRef {
    const token = first(ctx.Identifier) ?? first(ctx.ReferableKeyword);
    const identifier = this.identifierFromToken(token, fallback ?? 0);
    return { kind: 'NameRef', name: identifier.name, range: identifier.range, ...(identifier.recovered ? { recovered: true } : {}) };
  }

  // ---------------------------------------------------------------- layers

  private layersOf(node: cst.LayerBlockCstNode | undefined): ast.Layer[] {
    return node ? this.layerBlock(node.children) : [];
  }

  layerBlock(ctx: cst.LayerBlockCstChildren): ast.Layer[] {
    return (ctx.layer ?? []).flatMap((l) => {
      const built = this.layer(l.children);
      return built ? [built] : [];
    });
  }

  layer(ctx: cst.LayerCstChildren): ast.Layer | undefined {
    const repeatNode = first(ctx.repeatLayer);
    if (repeatNode) return this.repeatLayer(repeatNode.children, repeatNode);
    const callNode = first(ctx.layerCall);
    if (callNode) return this.layerCall(callNode.children, callNode);
    return undefined;
  }

  repeatLayer(ctx: cst.RepeatLayerCstChildren, node?: CstNode): ast.RepeatLayers {
    const count = this.expressionOr(first(ctx.expression), this.after(first(ctx.Repeat)));
    return {
      kind: 'RepeatLayers',
      count,
      layers: this.layersOf(first(ctx.layerBlock)),
      range: this.range(this.spanOf(node, count.range.start.offset, count)),
      ...this.recoveredFlag(node),
    };
  }

  layerCall(ctx: cst.LayerCallCstChildren, node?: CstNode): ast.LayerCall {
    const call = this.callOr(first(ctx.call), cstSpan(node)?.start ?? 0);
    const aliasNode = first(ctx.name);
    const alias = aliasNode ? this.name(aliasNode.children, this.after(first(ctx.As))) : undefined;
    return {
      kind: 'LayerCall',
      call,
      ...(alias ? { alias } : {}),
      range: this.range(this.spanOf(node, call.range.start.offset, call, alias)),
      ...this.recoveredFlag(node),
    };
  }

  private callOr(node: cst.CallCstNode | undefined, fallback: number): ast.Call {
    if (node) return this.call(node.children, node);
    const callee: ast.NameRef = { kind: 'NameRef', name: '', range: this.range({ start: fallback, end: fallback }), recovered: true };
    return { kind: 'Call', callee, args: [], hasParens: false, range: callee.range, recovered: true };
  }

  call(ctx: cst.CallCstChildren, node?: CstNode): ast.Call {
    const parts = (ctx.Identifier ?? []).filter(isRealToken);
    const fallback = cstSpan(node)?.start ?? 0;
    let callee: ast.NameRef | ast.MemberAccess = parts[0]
      ? { kind: 'NameRef', name: parts[0].image, range: this.range(tokenSpan(parts[0])) }
      : { kind: 'NameRef', name: '', range: this.range({ start: fallback, end: fallback }), recovered: true };
    for (const part of parts.slice(1)) {
      const member = this.identifierFromToken(part, 0);
      callee = { kind: 'MemberAccess', object: callee, member, range: this.range({ start: callee.range.start.offset, end: member.range.end.offset }) };
    }
    const listNode = first(ctx.argumentList);
    const args = listNode ? this.argumentList(listNode.children, listNode) : [];
    return {
      kind: 'Call',
      callee,
      args,
      hasParens: listNode !== undefined,
      range: this.range(this.spanOf(node, callee.range.start.offset, callee)),
      ...this.recoveredFlag(node),
    };
  }

  argumentList(ctx: cst.ArgumentListCstChildren, _node?: CstNode): ast.Argument[] {
    const args = (ctx.argument ?? []).map((a) => this.argument(a.children, a));
    this.checkCommas(args, ctx.Comma, 'arguments');
    return args;
  }

  argument(ctx: cst.ArgumentCstChildren, node?: CstNode): ast.Argument {
    const nameToken = first(ctx.Identifier);
    const binder = first(ctx.Binder);
    const fallback = cstSpan(node)?.start ?? 0;
    if (nameToken) {
      this.expectEquals(binder, `after the argument name \`${nameToken.image}\``);
      const name = this.identifierFromToken(nameToken, fallback);
      const value = this.expressionOr(first(ctx.expression), this.after(nameToken, binder));
      return { kind: 'Argument', name, value, range: this.range(this.spanOf(node, name.range.start.offset, name, value)) };
    }
    const value = this.expressionOr(first(ctx.expression), fallback);
    return { kind: 'Argument', value, range: value.range };
  }

  // ---------------------------------------------------------------- expressions

  /** The flat operand/operator list, with `*` `/` binding tighter than `+` `-`, all left-associative.
   *  An operator with nothing on its right gets a MissingExpression there. */
  expression(ctx: cst.ExpressionCstChildren, fallback?: number): ast.Expression {
    const operands = ctx.operands ?? [];
    const operators = ctx.operators;
    let current = this.operandAt(operands, 0, fallback ?? 0);
    // Most expressions are a single operand: no operator lists to build.
    if (operators === undefined || operators.length === 0) return current;
    const terms: ast.Expression[] = [];
    const additive: IToken[] = [];
    for (let i = 0; i < operators.length; i++) {
      const operator = operators[i]!;
      const operatorEnd = isRealToken(operator) ? tokenSpan(operator).end : current.range.end.offset;
      const right = this.operandAt(operands, i + 1, operatorEnd);
      if (operator.image === '*' || operator.image === '/') {
        current = this.binary(operator, current, right, operatorEnd);
      } else {
        terms.push(current);
        additive.push(operator);
        current = right;
      }
    }
    terms.push(current);
    let result = terms[0]!;
    for (let i = 0; i < additive.length; i++) {
      const operator = additive[i]!;
      const operatorEnd = isRealToken(operator) ? tokenSpan(operator).end : result.range.end.offset;
      result = this.binary(operator, result, terms[i + 1]!, operatorEnd);
    }
    return result;
  }

  private operandAt(operands: cst.OperandCstNode[], i: number, at: number): ast.Expression {
    const node = operands[i];
    return node ? this.operand(node.children, node, at) : this.missingExpression(at);
  }

  private binary(operator: IToken, left: ast.Expression, right: ast.Expression, operatorEnd: number): ast.BinaryExpression {
    return {
      kind: 'BinaryExpression',
      operator: operator.image as ast.BinaryOperator,
      left,
      right,
      range: this.range({ start: left.range.start.offset, end: Math.max(right.range.end.offset, operatorEnd) }),
    };
  }

  /** A sign and its operand, or a primary and its suffixes (`.b`, `[i]`, `(args)`) in source order. */
  operand(ctx: cst.OperandCstChildren, node?: CstNode, fallback?: number): ast.Expression {
    const sign = first(ctx.sign);
    if (sign) {
      const signSpan = isRealToken(sign) ? tokenSpan(sign) : { start: fallback ?? 0, end: fallback ?? 0 };
      const signedNode = first(ctx.signed);
      const operand = signedNode ? this.operand(signedNode.children, signedNode, signSpan.end) : this.missingExpression(signSpan.end);
      return {
        kind: 'UnaryExpression',
        operator: sign.image as '-' | '+',
        operand,
        range: this.range({ start: signSpan.start, end: Math.max(operand.range.end.offset, signSpan.end) }),
      };
    }
    let result = this.primary(ctx, cstSpan(node)?.start ?? fallback ?? 0);
    if (ctx.memberSuffix === undefined && ctx.indexSuffix === undefined && ctx.argumentList === undefined) return result;
    // The suffixes live in one list per kind; their source order is the order they apply in.
    const suffixes: CstNode[] = [...(ctx.memberSuffix ?? []), ...(ctx.indexSuffix ?? []), ...(ctx.argumentList ?? [])];
    if (suffixes.length > 1) suffixes.sort((a, b) => (cstSpan(a)?.start ?? Infinity) - (cstSpan(b)?.start ?? Infinity));
    for (const suffix of suffixes) {
      const end = cstSpan(suffix)?.end ?? result.range.end.offset;
      const span = { start: result.range.start.offset, end: Math.max(end, result.range.end.offset) };
      if (suffix.name === 'memberSuffix') {
        const children = suffix.children as cst.MemberSuffixCstChildren;
        const member = this.identifierFromToken(first(children.Identifier), this.after(first(children.Dot)));
        result = { kind: 'MemberAccess', object: result, member, range: this.range(span) };
      } else if (suffix.name === 'indexSuffix') {
        const children = suffix.children as cst.IndexSuffixCstChildren;
        const index = this.expressionOr(first(children.expression), this.after(first(children.LBracket)));
        result = { kind: 'IndexExpression', object: result, index, range: this.range(span) };
      } else {
        const args = this.argumentList(suffix.children as cst.ArgumentListCstChildren, suffix);
        if (result.kind === 'NameRef' || result.kind === 'MemberAccess') {
          result = { kind: 'Call', callee: result, args, hasParens: true, range: this.range(span) };
        } else if (result.kind !== 'MissingExpression') {
          this.report('AE1017', 'only a name can be called, like `f(...)` or `lib.f(...)`', span);
        }
      }
    }
    return result;
  }

  memberSuffix(): void {
    // Folded into `operand`, which needs the suffixes of all kinds in source order.
  }

  indexSuffix(): void {
    // Folded into `operand`.
  }

  private primary(ctx: cst.OperandCstChildren, fallback: number): ast.Expression {
    const number = first(ctx.NumberLiteral);
    if (isRealToken(number)) return { kind: 'NumberLiteral', value: Number(number.image), raw: number.image, range: this.range(tokenSpan(number)) };
    const string = first(ctx.StringLiteral);
    if (isRealToken(string)) return this.stringLiteral(string);
    const bool = first(ctx.True) ?? first(ctx.False);
    if (isRealToken(bool)) return { kind: 'BooleanLiteral', value: bool.image === 'true', range: this.range(tokenSpan(bool)) };
    const word = first(ctx.Identifier) ?? first(ctx.ReferableKeyword);
    if (isRealToken(word)) return { kind: 'NameRef', name: word.image, range: this.range(tokenSpan(word)) };
    const paren = first(ctx.parenExpression);
    if (paren) return this.parenExpression(paren.children, paren);
    const list = first(ctx.listExpression);
    if (list) return this.listExpression(list.children, list);
    return this.missingExpression(fallback);
  }

  parenExpression(ctx: cst.ParenExpressionCstChildren, node?: CstNode): ast.ParenExpression {
    const expression = this.expressionOr(first(ctx.expression), this.after(first(ctx.LParen)));
    return { kind: 'ParenExpression', expression, range: this.range(this.spanOf(node, expression.range.start.offset, expression)), ...this.recoveredFlag(node) };
  }

  listExpression(ctx: cst.ListExpressionCstChildren, node?: CstNode): ast.ListExpression {
    const elements = (ctx.expression ?? []).map((e) => this.expression(e.children, cstSpan(e)?.start ?? 0));
    this.checkCommas(elements, ctx.Comma, 'list items');
    const start = this.after(first(ctx.LBracket));
    return { kind: 'ListExpression', elements, range: this.range(this.spanOf(node, start, ...elements)), ...this.recoveredFlag(node) };
  }

  private stringLiteral(token: IToken): ast.StringLiteral {
    const { value, badEscapes } = unescapeString(token.image);
    for (const at of badEscapes) {
      const start = token.startOffset + at;
      this.report('AE1004', `unknown escape \`\\${token.image[at + 1] ?? ''}\` in a string`, { start: start, end: start + 2 }, {
        notes: ['known escapes: `\\n`, `\\t`, `\\r`, `\\"`, `\\\\`, `\\0`'],
      });
    }
    const closed = !tokenMatcher(token, t.UnterminatedString);
    return { kind: 'StringLiteral', value, raw: token.image, range: this.range(tokenSpan(token)), ...(closed ? {} : { recovered: true }) };
  }
}
