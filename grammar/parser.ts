// The .ae grammar (LANGUAGE.md section 3) as a Chevrotain CstParser. Rules are class fields, so a
// misspelt SUBRULE is a type error. The grammar is deliberately a little more permissive than the
// language: separators between arguments/list items are optional and `=`/`:` are interchangeable,
// so that the AST builder can report "missing `,`" or "use `=`" with a fix, instead of the parser
// losing its place and reporting a cascade.
import type { CstNode, IOrAlt, IRecognitionException, IToken, TokenType } from 'chevrotain';
import { CstParser, EOF } from './chevrotain.js';
import { TapeWriter, type TokenTape } from './token-tape.js';
import * as t from './tokens.js';
import type { DeclarationCstNode } from './cst.js';
import { errorMessageProvider, takeMismatchExpectation } from './messages.js';

type Alternatives = IOrAlt<unknown>[];

/** A mismatch ("expected `}`, found ...") with the token type that was expected. */
export interface MismatchError extends IRecognitionException {
  expectedTokenType?: TokenType;
}

/** The values an argument of a plain layer may be (AeParser.plainLayerLength). */
const plainValues: ReadonlySet<TokenType> = new Set([t.NumberLiteral, t.Identifier, t.True, t.False]);

/** The binary operators (the expression's MANY). */
const binaryOperators: ReadonlySet<TokenType> = new Set([t.Plus, t.Minus, t.Star, t.Slash]);

/** The tokens an expression goes on with after an operand: an operator (the expression's MANY)
 *  or a suffix (the operand's). A plain `loss = f(...)` is followed by none of them. */
const continuesExpression: ReadonlySet<TokenType> = new Set([...binaryOperators, t.Dot, t.LBracket, t.LParen]);

/** Chevrotain's (untyped) hook that adds a rule's node to the CST of the rule being parsed, and the
 *  index of the last token consumed (what its backtracking saves and restores). */
interface ParserInternals {
  cstPostNonTerminal(node: CstNode, ruleName: string): void;
  exportLexerState(): number;
  importLexerState(index: number): void;
}

/** A tape of no tokens: the parser's between parses, so that it holds no file's tokens. */
const NO_TOKENS = new TapeWriter().finish();

/** Chevrotain's (untyped) hook that records each recognition error. */
interface ErrorSaver {
  SAVE_ERROR(error: IRecognitionException): IRecognitionException;
}

/** How many recognition errors the parser collects before it stops reading: error recovery costs
 *  tens of microseconds an error, and nobody reads the thousandth. Ten times the errors shown
 *  (grammar/syntax-cap.ts), so that cascades and duplicates filtered out later still leave the
 *  first hundred real ones. */
export const PARSE_ERROR_BUDGET = 1_000;

/** Thrown when the budget is spent. Not a recognition exception, so Chevrotain's recovery lets it
 *  out of every rule; parse() catches it and keeps the declarations completed before it. */
export class ParseBudgetSpent extends Error {
  constructor(readonly token: IToken) {
    super('too many syntax errors');
  }
}

export class AeParser extends CstParser {
  // Each OR's alternatives, built on the first call and reused (Chevrotain's performance advice):
  // a fresh array of closures per call was most of the parser's allocation.
  private declarationAlts?: Alternatives;
  private nameAlts?: Alternatives;
  private memberAlts?: Alternatives;
  private unknownMemberAlts?: Alternatives;
  private inputTypeAlts?: Alternatives;
  private decoderAlts?: Alternatives;
  private referenceAlts?: Alternatives;
  private layerAlts?: Alternatives;
  private argumentAlts?: Alternatives;
  private operatorAlts?: Alternatives;
  private operandAlts?: Alternatives;
  private signAlts?: Alternatives;
  private primaryAlts?: Alternatives;
  private suffixAlts?: Alternatives;

  /** `validate`: run Chevrotain's grammar validations (ambiguities, left recursion). They cost 25 ms
   *  of every start of `ae` and find nothing in a grammar that does not change at run time, so the
   *  parser in use skips them and test/grammar/internals.test.ts builds one that runs them. */
  constructor(validate = false) {
    super(t.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider,
      maxLookahead: 3,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  // ---------------------------------------------------------------- top level

  /** Receives each top-level declaration as soon as it is parsed: parseSource builds its tree
   *  there and then and drops its CST, so the CST of the whole file is never held at once (most of
   *  the parser's cost was the garbage collector copying that CST around). Unset: a full CST. */
  declarationSink: ((node: CstNode) => void) | undefined = undefined;

  /** Receives each layer as soon as it is parsed, as `declarationSink` each declaration: a body of
   *  100,000 layers is one declaration, whose CST was most of what the parse of a megabyte held. */
  layerSink: ((node: CstNode) => void) | undefined = undefined;

  /** Builds the tree of a plain layer (`plainLayerLength`) from its tokens, `from` up to `to`
   *  (exclusive) of the tape, read off its columns, and returns the node that stands for it in its body's CST, as
   *  `layerSink` leaves a layer's node. Set (by parseSource, with `layerSink`), such a layer is not
   *  parsed through the grammar at all: its seven rules (layer, layerCall, call, argumentList,
   *  argument, expression, operand), their CST nodes and the tree built from them were most of
   *  the time a megabyte of layers took to parse. Unset: every layer goes through the grammar. */
  plainLayerSink: ((tape: TokenTape, from: number, to: number) => CstNode) | undefined = undefined;

  /** Builds the tree of a plain member (`plainMemberLength`) from its tokens and returns the node
   *  that stands for it in its model's CST, as `plainLayerSink` a layer's: a megabyte of small
   *  models spent most of its parse in the rules of `latent z = identity`, `output y = sigmoid`,
   *  `decoder = mirror(encoder)` and `loss = bce(y, x)`. Unset: every member goes through the grammar. */
  plainMemberSink: ((tape: TokenTape, from: number, to: number) => CstNode) | undefined = undefined;

  /** Builds the tree of a plain model (`plainModelLength`) from its tokens, `from` up to `to`
   *  (exclusive) of the tape, its members ending (exclusive) at `memberEnds`, and returns the node
   *  that stands for it in the file's CST, as `plainMemberSink` a member's: with every member plain,
   *  what was left of a small model's parse was the rules of the model itself, of `input x: [8] in
   *  [0, 1]` and of `encoder { dense(4) }`. Unset: every declaration goes through the grammar. */
  plainModelSink: ((tape: TokenTape, from: number, to: number, memberEnds: readonly number[]) => CstNode) | undefined = undefined;

  /** Builds the tree of a plain block declaration (`plainBlockLength`) from its tokens and returns
   *  the node that stands for it in the file's CST, as `plainModelSink` a model's: a megabyte of
   *  `block b1() { b2() }` spent half its parse in the rules of the block and of its layer block.
   *  Unset: every block goes through the grammar. */
  plainBlockSink: ((tape: TokenTape, from: number, to: number) => CstNode) | undefined = undefined;

  /** Builds the tree of a plain let declaration (`plainLetLength`) from its tokens and returns the
   *  node that stands for it in the file's CST, as `plainBlockSink` a block's: a megabyte of `let c0
   *  = c1 + 1` spent half its parse in the rules of the let, its name and its expression. Unset:
   *  every let goes through the grammar. */
  plainLetSink: ((tape: TokenTape, from: number, to: number) => CstNode) | undefined = undefined;

  /** Where each member of the model `plainModelLength` last found plain ends (exclusive token
   *  indices); reused from model to model. */
  private plainModelMemberEnds: number[] = [];

  /** How many items the list `plainListEnd` last found plain has. */
  private plainListItems = 0;

  /** The top-level declarations parsed so far (what is kept when the error budget stops a parse),
   *  and the errors saved; both emptied by parse() before each parse. */
  completedDeclarations: DeclarationCstNode[] = [];
  savedErrors = 0;

  /** The tokens being parsed (`read`). Their objects (`TokenTape.objects`) are Chevrotain's input,
   *  each made when the grammar first reads it (`LA`); the fast paths read the tape's columns. */
  private tape: TokenTape = NO_TOKENS;

  // Chevrotain's (undeclared) state of its input: the array, its length, the last token consumed.
  declare private tokVector: (IToken | undefined)[];
  declare private tokVectorLength: number;
  declare private currIdx: number;

  /** Sets the tokens to parse; `read()` lets go of the last ones. */
  read(tape: TokenTape = NO_TOKENS): void {
    this.tape = tape;
    this.input = tape.objects as IToken[];
  }

  /** Chevrotain's lookahead, the token made from the tape where it is not yet an object. */
  override LA(howMuch: number): IToken {
    const index = this.currIdx + howMuch;
    if (index < 0 || index >= this.tokVectorLength) return super.LA(howMuch);
    return this.tokVector[index] ?? this.tape.token(index);
  }

  /** Chevrotain's lookahead without bounds checks (its input is padded with EOF tokens while it
   *  parses), the token made from the tape where it is not yet an object. */
  override LA_FAST(howMuch: number): IToken {
    const index = this.currIdx + howMuch;
    const token = this.tokVector[index];
    return token !== undefined || index >= this.tokVectorLength ? token! : this.tape.token(index);
  }

  /** The type of the token at lookahead index `k` (EOF past the end), read off the tape. */
  private typeAt(k: number): TokenType {
    const index = this.currIdx + k;
    return index < this.tape.length ? this.tape.type(index) : EOF;
  }

  /** The image of the token at lookahead index `k` (before the end), read off the tape. */
  private imageAt(k: number): string {
    return this.tape.image(this.currIdx + k);
  }

  file = this.RULE('file', () => {
    this.MANY(() => {
      // (The recorder, which reads the grammar off these rules, always takes the rule.)
      let plain = this.RECORDING_PHASE ? 0 : this.plainDeclarationLength();
      if (plain > 0) {
        // A run of plain declarations is one repetition: Chevrotain's work for each (its lookahead,
        // its progress and recovery checks) is spared, as the grammar's is.
        do this.takePlainDeclaration(plain);
        while ((plain = this.plainDeclarationLength()) > 0);
        return;
      }
      const node = this.SUBRULE(this.declaration);
      this.ACTION(() => {
        this.declarationSink?.(node);
        this.completedDeclarations.push(node as DeclarationCstNode);
      });
    });
  });

  declaration = this.RULE('declaration', () => {
    this.OR((this.declarationAlts ??= [
      { ALT: () => this.SUBRULE(this.importDeclaration) },
      { ALT: () => this.SUBRULE(this.letDeclaration) },
      { ALT: () => this.SUBRULE(this.blockDeclaration) },
      { ALT: () => this.SUBRULE(this.modelDeclaration) },
    ]));
  });

  importDeclaration = this.RULE('importDeclaration', () => {
    this.CONSUME(t.Import);
    this.CONSUME(t.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(t.As);
      this.SUBRULE(this.name);
    });
  });

  letDeclaration = this.RULE('letDeclaration', () => {
    this.CONSUME(t.Let);
    this.SUBRULE(this.name);
    this.CONSUME(t.Binder);
    this.SUBRULE(this.expression);
  });

  blockDeclaration = this.RULE('blockDeclaration', () => {
    this.CONSUME(t.Block);
    this.SUBRULE(this.name);
    this.CONSUME(t.LParen);
    this.MANY(() => {
      this.SUBRULE(this.blockParameter);
      this.OPTION(() => this.CONSUME(t.Comma));
    });
    this.CONSUME(t.RParen);
    this.SUBRULE(this.layerBlock);
  });

  blockParameter = this.RULE('blockParameter', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(t.Binder);
      this.SUBRULE(this.expression);
    });
  });

  modelDeclaration = this.RULE('modelDeclaration', () => {
    this.CONSUME(t.Model);
    this.SUBRULE(this.name);
    this.CONSUME(t.LCurly);
    this.MANY(() => {
      // (The recorder, which reads the grammar off these rules, always takes the rule.)
      const plain = this.plainMemberSink === undefined || this.RECORDING_PHASE ? 0 : this.plainMemberLength();
      if (plain > 0) this.takePlain(plain, this.plainMemberSink!, 'member');
      else this.SUBRULE(this.member);
      this.OPTION(() => this.CONSUME(t.Comma));
    });
    this.CONSUME(t.RCurly);
  });

  /** A declared name. Accepts a keyword too, so `let input = 3` gets "`input` is a keyword; rename it". */
  name = this.RULE('name', () => {
    this.OR((this.nameAlts ??= [{ ALT: () => this.CONSUME(t.Identifier) }, { ALT: () => this.CONSUME(t.Keyword) }]));
  });

  // ---------------------------------------------------------------- model members

  member = this.RULE('member', () => {
    this.OR((this.memberAlts ??= [
      { ALT: () => this.SUBRULE(this.inputMember) },
      { ALT: () => this.SUBRULE(this.corruptMember) },
      { ALT: () => this.SUBRULE(this.encoderMember) },
      { ALT: () => this.SUBRULE(this.latentMember) },
      { ALT: () => this.SUBRULE(this.decoderMember) },
      { ALT: () => this.SUBRULE(this.outputMember) },
      { ALT: () => this.SUBRULE(this.headMember) },
      { ALT: () => this.SUBRULE(this.lossMember) },
      { ALT: () => this.SUBRULE(this.trainMember) },
      { ALT: () => this.SUBRULE(this.unknownMember) },
    ]));
  });

  /** A misspelt member (`encoderr { ... }`, `lattent z = ...`): consumed whole so the model goes on,
   *  and reported by the AST builder with a "did you mean". */
  unknownMember = this.RULE('unknownMember', () => {
    this.CONSUME(t.Identifier);
    this.OPTION(() => this.CONSUME2(t.Identifier, { LABEL: 'memberName' }));
    this.OPTION2(() => {
      this.OR((this.unknownMemberAlts ??= [
        { ALT: () => this.SUBRULE(this.layerBlock) },
        {
          ALT: () => {
            this.CONSUME(t.Binder);
            this.SUBRULE(this.expression);
          },
        },
      ]));
    });
  });

  inputMember = this.RULE('inputMember', () => {
    this.CONSUME(t.Input);
    this.SUBRULE(this.name);
    this.CONSUME(t.Binder);
    this.OR((this.inputTypeAlts ??= [
      { ALT: () => this.SUBRULE(this.tensorType) },
      // `table(amount)` and `label(classes)` are the same tokens: the word decides.
      { GATE: () => this.LA(1).image === 'table', ALT: () => this.SUBRULE(this.tableType) },
      { ALT: () => this.SUBRULE(this.labelType) },
    ]));
  });

  tensorType = this.RULE('tensorType', () => {
    this.SUBRULE(this.listExpression, { LABEL: 'dimensions' });
    this.OPTION(() => {
      this.CONSUME(t.In);
      this.SUBRULE2(this.listExpression, { LABEL: 'valueRange' });
    });
  });

  /** `table(amount, hour, merchant: category(40))`: a row of named columns, numeric or categorical.
   *  `table` is not a keyword either; the input rule picks this form by the word. */
  tableType = this.RULE('tableType', () => {
    this.CONSUME(t.Identifier, { LABEL: 'tableWord' });
    this.CONSUME(t.LParen);
    this.SUBRULE(this.tableColumn);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.tableColumn);
    });
    this.CONSUME(t.RParen);
  });

  /** `amount` (numeric) or `merchant: category(40)`. */
  tableColumn = this.RULE('tableColumn', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(t.Binder);
      this.SUBRULE(this.call);
    });
  });

  /** `label(10)`. `label` is not a keyword (it is a common argument name: `csv(p, label = "y")`),
   *  so the type form is recognised by the word in this one position. */
  labelType = this.RULE('labelType', () => {
    this.CONSUME(t.Identifier, { LABEL: 'labelWord', ERR_MSG: 'a type: `[dimensions]` or `label(classes)`' });
    this.CONSUME(t.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(t.RParen);
  });

  corruptMember = this.RULE('corruptMember', () => {
    this.CONSUME(t.Corrupt);
    this.SUBRULE(this.name);
    this.CONSUME(t.With);
    this.SUBRULE(this.call);
    this.MANY(() => {
      this.CONSUME(t.Then);
      this.SUBRULE2(this.call);
    });
  });

  encoderMember = this.RULE('encoderMember', () => {
    this.CONSUME(t.Encoder);
    this.OPTION(() => this.SUBRULE(this.readsClause));
    this.SUBRULE(this.layerBlock);
  });

  /** `on x, y` after `encoder`/`decoder`: the tensors it reads, concatenated (a conditional model). */
  readsClause = this.RULE('readsClause', () => {
    this.CONSUME(t.On);
    this.SUBRULE(this.reference);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.reference);
    });
  });

  decoderMember = this.RULE('decoderMember', () => {
    this.CONSUME(t.Decoder);
    this.OPTION(() => this.SUBRULE(this.readsClause));
    this.OR((this.decoderAlts ??= [
      { ALT: () => this.SUBRULE(this.layerBlock) },
      {
        ALT: () => {
          this.CONSUME(t.Binder);
          this.CONSUME(t.Mirror);
          this.SUBRULE(this.argumentList);
        },
      },
    ]));
  });

  latentMember = this.RULE('latentMember', () => {
    this.CONSUME(t.Latent);
    this.SUBRULE(this.name);
    this.CONSUME(t.Binder);
    this.SUBRULE(this.call);
  });

  outputMember = this.RULE('outputMember', () => {
    this.CONSUME(t.Output);
    this.SUBRULE(this.name);
    this.CONSUME(t.Binder);
    this.SUBRULE(this.call);
  });

  headMember = this.RULE('headMember', () => {
    this.CONSUME(t.Head);
    this.SUBRULE(this.name);
    this.CONSUME(t.On);
    this.SUBRULE(this.reference);
    this.SUBRULE(this.layerBlock);
  });

  lossMember = this.RULE('lossMember', () => {
    this.CONSUME(t.Loss);
    this.CONSUME(t.Binder);
    this.SUBRULE(this.expression);
  });

  trainMember = this.RULE('trainMember', () => {
    this.CONSUME(t.Train);
    this.OPTION(() => this.SUBRULE(this.name));
    this.CONSUME(t.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.trainSetting);
      this.OPTION2(() => this.CONSUME(t.Comma));
    });
    this.CONSUME(t.RCurly);
  });

  /** `epochs = 5`, and the phase-local `loss = ...` (the name is then the `loss` keyword). A bare
   *  call `early_stop(patience = 3)` is shorthand for `early_stop = early_stop(patience = 3)`: after
   *  an argument list the `= value` part is skipped. (The recorder still records it as mandatory, so
   *  a name without either keeps the "expected `=`" recovery; only the parse itself branches.) */
  trainSetting = this.RULE('trainSetting', () => {
    this.SUBRULE(this.name);
    let shorthand = false;
    this.OPTION(() => {
      this.SUBRULE(this.argumentList);
      shorthand = true;
    });
    if (shorthand && !this.RECORDING_PHASE) return;
    this.CONSUME(t.Binder);
    this.SUBRULE(this.expression);
  });

  /** A name that points at a tensor or a model part: `z`, `encoder`. */
  reference = this.RULE('reference', () => {
    this.OR((this.referenceAlts ??= [{ ALT: () => this.CONSUME(t.Identifier) }, { ALT: () => this.CONSUME(t.ReferableKeyword) }]));
  });

  // ---------------------------------------------------------------- layers

  layerBlock = this.RULE('layerBlock', () => {
    this.CONSUME(t.LCurly);
    this.MANY(() => {
      // (The recorder, which reads the grammar off these rules, always takes the rule.)
      const plain = this.plainLayerSink === undefined || this.RECORDING_PHASE ? 0 : this.plainLayerLength();
      if (plain > 0) {
        this.takePlainLayer(plain);
      } else {
        const layer = this.SUBRULE(this.layer);
        this.ACTION(() => this.layerSink?.(layer));
      }
      this.OPTION(() => this.CONSUME(t.Comma));
    });
    this.CONSUME(t.RCurly);
  });

  layer = this.RULE('layer', () => {
    this.OR((this.layerAlts ??= [
      { ALT: () => this.SUBRULE(this.repeatLayer) },
      { ALT: () => this.SUBRULE(this.layerCall) },
    ]));
  });

  repeatLayer = this.RULE('repeatLayer', () => {
    this.CONSUME(t.Repeat);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.layerBlock);
  });

  layerCall = this.RULE('layerCall', () => {
    this.SUBRULE(this.call);
    this.OPTION(() => {
      this.CONSUME(t.As);
      this.SUBRULE(this.name);
    });
  });

  /** `flatten`, `dense(64, act = relu)`, `lib.down(16)`. The `.name` parts are an OPTION of a MANY
   *  (not a bare MANY before the arguments) so the common `flatten` never triggers Chevrotain's
   *  in-repetition recovery probe. */
  call = this.RULE('call', () => {
    this.CONSUME(t.Identifier);
    this.OPTION(() => {
      this.AT_LEAST_ONE(() => {
        this.CONSUME(t.Dot);
        this.CONSUME2(t.Identifier);
      });
    });
    this.OPTION2(() => this.SUBRULE(this.argumentList));
  });

  argumentList = this.RULE('argumentList', () => {
    this.CONSUME(t.LParen);
    this.MANY(() => {
      this.SUBRULE(this.argument);
      this.OPTION(() => this.CONSUME(t.Comma));
    });
    this.CONSUME(t.RParen);
  });

  argument = this.RULE('argument', () => {
    this.OR((this.argumentAlts ??= [
      {
        ALT: () => {
          this.CONSUME(t.Identifier);
          this.CONSUME(t.Binder);
          this.SUBRULE(this.expression);
        },
      },
      { ALT: () => this.SUBRULE2(this.expression) },
    ]));
  });

  // ---------------------------------------------------------------- expressions

  /** Operands and binary operators in a flat list; the AST builder applies precedence (`*` `/`
   *  over `+` `-`, left-associative). Flat, because a rule per precedence level made six CST
   *  nodes per number and dominated parse time. */
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.operand, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR((this.operatorAlts ??= [
        { ALT: () => this.CONSUME(t.Plus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(t.Minus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(t.Star, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(t.Slash, { LABEL: 'operators' }) },
      ]));
      this.SUBRULE2(this.operand, { LABEL: 'operands' });
    });
  });

  /** A signed operand (`-x`, nested), or one primary followed by `a.b`, `x[i]`, `f(args)` suffixes
   *  in any sequence. (Signs are not a leading MANY: Chevrotain's in-repetition recovery probes
   *  every MANY whose next token differs from the one after it, which allocated on every operand.) */
  operand = this.RULE('operand', () => {
    this.OR((this.operandAlts ??= [
      {
        ALT: () => {
          this.OR2((this.signAlts ??= [{ ALT: () => this.CONSUME(t.Minus, { LABEL: 'sign' }) }, { ALT: () => this.CONSUME(t.Plus, { LABEL: 'sign' }) }]));
          this.SUBRULE(this.operand, { LABEL: 'signed' });
        },
      },
      {
        ALT: () => {
          this.OR3((this.primaryAlts ??= [
            { ALT: () => this.CONSUME(t.NumberLiteral) },
            { ALT: () => this.CONSUME(t.StringLiteral) },
            { ALT: () => this.CONSUME(t.True) },
            { ALT: () => this.CONSUME(t.False) },
            { ALT: () => this.CONSUME(t.Identifier) },
            { ALT: () => this.CONSUME(t.ReferableKeyword) },
            { ALT: () => this.SUBRULE(this.parenExpression) },
            { ALT: () => this.SUBRULE(this.listExpression) },
          ]));
          this.MANY(() => {
            this.OR4((this.suffixAlts ??= [
              { ALT: () => this.SUBRULE(this.memberSuffix) },
              { ALT: () => this.SUBRULE(this.indexSuffix) },
              { ALT: () => this.SUBRULE(this.argumentList) },
            ]));
          });
        },
      },
    ]));
  });

  memberSuffix = this.RULE('memberSuffix', () => {
    this.CONSUME(t.Dot);
    this.CONSUME(t.Identifier);
  });

  indexSuffix = this.RULE('indexSuffix', () => {
    this.CONSUME(t.LBracket);
    this.SUBRULE(this.expression);
    this.CONSUME(t.RBracket);
  });

  parenExpression = this.RULE('parenExpression', () => {
    this.CONSUME(t.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(t.RParen);
  });

  listExpression = this.RULE('listExpression', () => {
    this.CONSUME(t.LBracket);
    this.MANY(() => {
      this.SUBRULE(this.expression);
      this.OPTION(() => this.CONSUME(t.Comma));
    });
    this.CONSUME(t.RBracket);
  });

  /** Chevrotain makes each CST node's `children` with `Object.create(null)`, a dictionary-mode
   *  object (a hash table) several times the size of a plain one; on a megabyte of layers the
   *  garbage collector spent more time copying those tables than the parser spent parsing. The
   *  children's keys are rule, token and label names (none is a property of Object.prototype), so
   *  a plain object literal, with its fast properties, holds them as well. */
  cstInvocationStateUpdate(fullRuleName: string): void {
    const node = { name: fullRuleName, children: {}, location: { startOffset: NaN, endOffset: NaN } };
    (this as unknown as { CST_STACK: CstNode[] }).CST_STACK.push(node as CstNode);
  }

  /** Chevrotain builds a mismatch's message (messages.ts, which notes the expected token type) and
   *  then saves the exception here; the type goes onto the exception for grammar/syntax-errors.ts.
   *  Other errors (and mismatches with a fixed ERR_MSG) never have a pending type. */
  SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    const expected = takeMismatchExpectation();
    if (expected !== undefined && error.name === 'MismatchedTokenException') (error as MismatchError).expectedTokenType = expected;
    const saved = (CstParser.prototype as unknown as ErrorSaver).SAVE_ERROR.call(this, error);
    if (++this.savedErrors >= PARSE_ERROR_BUDGET) throw new ParseBudgetSpent(error.token);
    return saved;
  }

  /**
   * How many tokens the next layer spans when it is plain, else 0. Plain: a name, `(`, arguments
   * separated by single commas (no trailing one), `)`, and no `as` after; each argument a number, a
   * name, `true` or `false`, optionally after `name =`; or a bare name followed by none of `(`,
   * `.` and `as`. The grammar parses exactly these tokens as one layer (a layerCall of a call,
   * with an argument list whose arguments are each one operand with no suffix, or none), with no
   * error and nothing for the tree builder to report, so its tree can be built from the tokens
   * (build-ast/layers.ts, `plainLayer`). Anything else, the grammar parses.
   */
  private plainLayerLength(): number {
    return this.plainLayerEnd(1);
  }

  /** Where a plain layer (`plainLayerLength`) whose name is at lookahead index `k` ends (the
   *  lookahead index of its `)`, or of its name when bare), or 0 when the layer there is not plain. */
  private plainLayerEnd(k: number): number {
    if (this.typeAt(k) !== t.Identifier) return 0;
    const next = this.typeAt(k + 1);
    // A bare name (`flatten`): the call ends there unless a `.` or an argument list follows.
    if (next !== t.LParen) return next === t.Dot || next === t.As ? 0 : k;
    const end = this.plainArgumentsEnd(k + 2);
    return end === 0 || this.typeAt(end + 1) === t.As ? 0 : end;
  }

  /** Where the `}` of a plain layer block is, its `{` at `k`; 0 when the block is not plain: plain
   *  layers (`plainLayerEnd`), each followed by at most one `,`. That is what the grammar's
   *  layerBlock repeats (a layer, an optional comma) up to its `}`, and the tree builder reports
   *  nothing about the commas of a block. */
  private plainLayerBlockEnd(k: number): number {
    k++;
    for (;;) {
      if (this.typeAt(k) === t.RCurly) return k;
      const end = this.plainLayerEnd(k);
      if (end === 0) return 0;
      k = end + 1;
      if (this.typeAt(k) === t.Comma) k++;
    }
  }

  /** Where the `)` of a plain argument list is (a lookahead index), its first argument (or `)`) at
   *  `k`; 0 when the list is not plain: arguments separated by single commas (no trailing one), each
   *  a number, a name, `true` or `false`, optionally after `name =`. */
  private plainArgumentsEnd(k: number): number {
    if (this.typeAt(k) === t.RParen) return k;
    for (;;) {
      if (this.typeAt(k) === t.Identifier && this.typeAt(k + 1) === t.Equals) k += 2;
      if (!plainValues.has(this.typeAt(k))) return 0;
      const next = this.typeAt(++k);
      if (next === t.RParen) return k;
      if (next !== t.Comma) return 0;
      k++;
    }
  }

  /** Where the `]` of a plain list is, its `[` at `k`, with the number of its items in
   *  `plainListItems`; 0 when the list is not plain: items separated by single commas (no trailing
   *  one), each a number, a name, `true` or `false`, optionally after one `-` or `+`. The grammar
   *  parses each item as one expression of one operand with no suffix, and the tree builder reports
   *  nothing about such commas. */
  private plainListEnd(k: number): number {
    let items = 0;
    if (this.typeAt(++k) !== t.RBracket) {
      for (;;) {
        const sign = this.typeAt(k);
        if (sign === t.Minus || sign === t.Plus) k++;
        if (!plainValues.has(this.typeAt(k))) return 0;
        items++;
        const next = this.typeAt(++k);
        if (next === t.RBracket) break;
        if (next !== t.Comma) return 0;
        k++;
      }
    }
    this.plainListItems = items;
    return k;
  }

  /**
   * How many tokens the next member spans when it is plain, else 0. Plain: `latent name = f` or
   * `output name = f`, `f` a name with no `.` after, or a name and a plain argument list (see
   * `plainArgumentsEnd`); `loss = f(...)`, a name and a plain argument list followed by no token
   * an expression goes on with (`continuesExpression`); `decoder = mirror(source)`, `source` a
   * name or `encoder`, optionally followed by `,` and plain arguments; `input name: [dims]`,
   * optionally followed by `in [low, high]` (plain lists, `plainListEnd`), or `input name:
   * label(n)`, `n` a number, a name, `true` or `false`; `encoder { ... }` or `decoder { ... }`, a
   * plain layer block (`plainLayerBlockEnd`). The grammar parses exactly these tokens as one member (its name an
   * Identifier, its binder `=`, or `:` for an input), with no error and nothing for the tree builder
   * to report, so its tree can be built from the tokens (build-ast/members.ts, `plainMember`).
   */
  private plainMemberLength(): number {
    return this.plainMemberEnd(1);
  }

  /** Where a plain member (`plainMemberLength`) whose keyword is at lookahead index `k` ends (the
   *  lookahead index of its last token), or 0 when the member there is not plain. */
  private plainMemberEnd(k: number): number {
    const kind = this.typeAt(k);
    if (kind === t.Latent || kind === t.Output) {
      if (this.typeAt(k + 1) !== t.Identifier || this.typeAt(k + 2) !== t.Equals || this.typeAt(k + 3) !== t.Identifier) return 0;
      const next = this.typeAt(k + 4);
      if (next === t.LParen) return this.plainArgumentsEnd(k + 5);
      return next === t.Dot ? 0 : k + 3;
    }
    if (kind === t.Input) return this.plainInputEnd(k);
    if (kind === t.Encoder) return this.typeAt(k + 1) === t.LCurly ? this.plainLayerBlockEnd(k + 1) : 0;
    if (kind === t.Decoder) {
      if (this.typeAt(k + 1) === t.LCurly) return this.plainLayerBlockEnd(k + 1);
      // `decoder = mirror(source)` or `decoder = mirror(source, ...plain arguments)`.
      if (this.typeAt(k + 1) !== t.Equals || this.typeAt(k + 2) !== t.Mirror || this.typeAt(k + 3) !== t.LParen) return 0;
      const source = this.typeAt(k + 4);
      if (source !== t.Identifier && source !== t.Encoder) return 0;
      const next = this.typeAt(k + 5);
      if (next === t.RParen) return k + 5;
      return next === t.Comma && this.typeAt(k + 6) !== t.RParen ? this.plainArgumentsEnd(k + 6) : 0;
    }
    if (kind !== t.Loss || this.typeAt(k + 1) !== t.Equals || this.typeAt(k + 2) !== t.Identifier || this.typeAt(k + 3) !== t.LParen) return 0;
    const end = this.plainArgumentsEnd(k + 4);
    return end === 0 || continuesExpression.has(this.typeAt(end + 1)) ? 0 : end;
  }

  /** `input name: [dims]`, `input name: [dims] in [low, high]` or `input name: label(n)`, the
   *  keyword at `k` (see `plainMemberLength`). A value range of other than two bounds is reported
   *  by the tree builder, so it is not plain; nor is a `=` binder (reported too). */
  private plainInputEnd(k: number): number {
    if (this.typeAt(k + 1) !== t.Identifier || this.typeAt(k + 2) !== t.Colon) return 0;
    const type = this.typeAt(k + 3);
    if (type === t.LBracket) {
      const dimensions = this.plainListEnd(k + 3);
      if (dimensions === 0 || this.typeAt(dimensions + 1) !== t.In) return dimensions;
      if (this.typeAt(dimensions + 2) !== t.LBracket) return 0;
      const range = this.plainListEnd(dimensions + 2);
      return range !== 0 && this.plainListItems === 2 ? range : 0;
    }
    const plainLabel =
      type === t.Identifier && this.imageAt(k + 3) === 'label' && this.typeAt(k + 4) === t.LParen && plainValues.has(this.typeAt(k + 5)) && this.typeAt(k + 6) === t.RParen;
    return plainLabel ? k + 6 : 0;
  }

  /** How many tokens the next declaration spans when it is a plain model, block or let (and its
   *  sink is set), else 0. */
  private plainDeclarationLength(): number {
    const keyword = this.typeAt(1);
    if (keyword === t.Model) return this.plainModelSink === undefined ? 0 : this.plainModelLength();
    if (keyword === t.Block) return this.plainBlockSink === undefined ? 0 : this.plainBlockLength();
    if (keyword === t.Let) return this.plainLetSink === undefined ? 0 : this.plainLetLength();
    return 0;
  }

  /**
   * How many tokens the next declaration spans when it is a plain model, else 0: `model name {`,
   * plain members (`plainMemberEnd`) each followed by at most one `,`, and `}`. The grammar parses
   * exactly these tokens as one declaration (the model's MANY takes a member and an optional comma
   * up to its `}`) with no error, and the tree builder reports nothing about a model's own tokens,
   * so its tree can be built from the tokens (build-ast/declarations.ts, `plainModel`). Where each
   * member ends is left in `plainModelMemberEnds` (exclusive token indices).
   */
  private plainModelLength(): number {
    if (this.typeAt(1) !== t.Model || this.typeAt(2) !== t.Identifier || this.typeAt(3) !== t.LCurly) return 0;
    const ends = this.plainModelMemberEnds;
    ends.length = 0;
    // Lookahead index k is token index `base + k` of the input.
    const base = (this as unknown as ParserInternals).exportLexerState();
    let k = 4;
    for (;;) {
      if (this.typeAt(k) === t.RCurly) return k;
      const end = this.plainMemberEnd(k);
      if (end === 0) return 0;
      ends.push(base + end + 1);
      k = end + 1;
      if (this.typeAt(k) === t.Comma) k++;
    }
  }

  /**
   * How many tokens the next declaration spans when it is a plain block, else 0: `block name(`,
   * plain parameters (`plainParametersEnd`), `)` and a plain layer block (`plainLayerBlockEnd`). The
   * grammar parses exactly these tokens as one declaration with no error, and the tree builder
   * reports nothing about them (its name is no keyword, its binders are `=`, its parameters are
   * separated by commas), so its tree can be built from the tokens (build-ast/declarations.ts,
   * `plainBlock`).
   */
  private plainBlockLength(): number {
    if (this.typeAt(2) !== t.Identifier || this.typeAt(3) !== t.LParen) return 0;
    const close = this.plainParametersEnd(4);
    return close === 0 || this.typeAt(close + 1) !== t.LCurly ? 0 : this.plainLayerBlockEnd(close + 1);
  }

  /** Where the `)` of a block's plain parameters is (a lookahead index), its first parameter (or
   *  `)`) at `k`; 0 when they are not plain: names, each optionally followed by `=` and a number, a
   *  name, `true` or `false`, each followed by one `,` or the `)`. That is what the grammar's
   *  blockDeclaration repeats (a parameter, an optional comma) up to its `)`: a default followed by
   *  `,` or `)` is one operand with no suffix, and a trailing comma is not reported. */
  private plainParametersEnd(k: number): number {
    for (;;) {
      if (this.typeAt(k) === t.RParen) return k;
      if (this.typeAt(k) !== t.Identifier) return 0;
      if (this.typeAt(k + 1) === t.Equals) {
        if (!plainValues.has(this.typeAt(k + 2))) return 0;
        k += 3;
      } else {
        k++;
      }
      const next = this.typeAt(k);
      if (next === t.Comma) k++;
      else if (next !== t.RParen) return 0;
    }
  }

  /**
   * How many tokens the next declaration spans when it is a plain let, else 0: `let name = v` or
   * `let name = v op v`, each `v` a number, a name, `true` or `false`, `op` one of `+ - * /`, and
   * followed by no token an expression goes on with (`continuesExpression`), as a plain `loss =
   * f(...)`. The grammar parses exactly these tokens as one declaration with no error (its
   * expression one operand, or two and their operator, none with a suffix), and the tree builder
   * reports nothing about them, so its tree can be built from the tokens (build-ast/declarations.ts,
   * `plainLet`).
   */
  private plainLetLength(): number {
    if (this.typeAt(2) !== t.Identifier || this.typeAt(3) !== t.Equals || !plainValues.has(this.typeAt(4))) return 0;
    const next = this.typeAt(5);
    if (!continuesExpression.has(next)) return 4;
    if (!binaryOperators.has(next) || !plainValues.has(this.typeAt(6))) return 0;
    return continuesExpression.has(this.typeAt(7)) ? 0 : 6;
  }

  /** Consumes the next `count` tokens, a plain layer, and puts the node `plainLayerSink` makes of
   *  them into the body's CST, where the grammar's `layer` would have gone. */
  private takePlainLayer(count: number): void {
    this.takePlain(count, this.plainLayerSink!, 'layer');
  }

  /** Consumes the next `count` tokens, a plain model, block or let (`plainDeclarationLength`), and
   *  puts the node its sink makes of them into the file's CST, where the grammar's `declaration`
   *  would have gone. */
  private takePlainDeclaration(count: number): void {
    const internals = this as unknown as ParserInternals;
    const from = internals.exportLexerState() + 1;
    const to = from + count;
    const keyword = this.typeAt(1);
    const node =
      keyword === t.Model
        ? this.plainModelSink!(this.tape, from, to, this.plainModelMemberEnds)
        : keyword === t.Block
          ? this.plainBlockSink!(this.tape, from, to)
          : this.plainLetSink!(this.tape, from, to);
    internals.importLexerState(to - 1);
    internals.cstPostNonTerminal(node, 'declaration');
    this.completedDeclarations.push(node as DeclarationCstNode);
  }

  /** Consumes the next `count` tokens and puts the node `sink` makes of them into the CST, where
   *  the grammar's rule `ruleName` would have gone. */
  private takePlain(count: number, sink: (tape: TokenTape, from: number, to: number) => CstNode, ruleName: string): void {
    const internals = this as unknown as ParserInternals;
    const from = internals.exportLexerState() + 1;
    const node = sink(this.tape, from, from + count);
    internals.importLexerState(from + count - 1);
    internals.cstPostNonTerminal(node, ruleName);
  }

  /** The token before the current one; the message provider quotes it ("after `+`"). */
  previousToken(): IToken {
    return this.LA(0);
  }
}

/** The one parser: grammar analysis runs once; each parse resets it through `input`. */
export const aeParser = new AeParser();
