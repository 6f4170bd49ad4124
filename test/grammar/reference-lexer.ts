// Chevrotain's lexer over the token definitions of grammar/tokens.ts: the reference grammar/scanner.ts
// is checked against (scanner.test.ts). Configured as the front end's own lexer was before the scanner.
import type { IToken, TokenType } from 'chevrotain';
import { Lexer } from '../../grammar/chevrotain.js';
import { allTokens } from '../../grammar/tokens.js';

/** Offset-only tokens with the end offset added (Chevrotain picks its token factory by the name
 *  `createOffsetOnlyToken`): what the scanner's tokens read as (it makes the end and the type getters). */
class OffsetLexer extends Lexer {
  createOffsetOnlyToken(image: string, startOffset: number, tokenTypeIdx: number, tokenType: TokenType): IToken {
    return { image, startOffset, endOffset: startOffset + image.length - 1, tokenTypeIdx, tokenType } as IToken;
  }
}

export const referenceLexer: InstanceType<typeof Lexer> = new OffsetLexer(allTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: true,
  errorMessageProvider: {
    buildUnexpectedCharactersMessage: () => 'unexpected character',
    buildUnableToPopLexerModeMessage: () => 'unable to pop a lexer mode',
  },
});
