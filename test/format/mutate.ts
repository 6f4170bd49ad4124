// Token-level mutations of a source text, driven by a seed: the whitespace between tokens changes,
// comments appear between tokens, optional commas come and go, tokens are swapped or dropped.
// Many mutants no longer parse; the property tests keep the ones that do.

import { mulberry32 } from '../../runtime/random.js';

export type Piece = { kind: 'space' | 'comment' | 'token'; text: string };

const pieceRegex = /(\s+)|(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|("(?:[^"\\\n]|\\.)*"|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|.)/g;

export function splitPieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  for (const match of text.matchAll(pieceRegex)) {
    if (match[1] !== undefined) pieces.push({ kind: 'space', text: match[1] });
    else if (match[2] !== undefined) pieces.push({ kind: 'comment', text: match[2] });
    else pieces.push({ kind: 'token', text: match[3]! });
  }
  return pieces;
}

const spaces = [' ', '\n', '  ', '\n\n', '\n\n\n  ', '\t', ''];
const comments = ['/* note */', '// note\n', '/* a\n   b */', '\n// own line\n'];

/** The runtime's own seeded generator (mulberry32): a failing seed can be replayed. */
export const seededRandom = mulberry32;

export type Mutation = 'space' | 'comment' | 'comma' | 'swap' | 'drop';
const allMutations: readonly Mutation[] = ['space', 'space', 'comment', 'comma', 'swap', 'drop'];

/** `count` mutations drawn from `kinds` (all kinds by default; layout-only kinds always parse). */
export function mutate(text: string, seed: number, count = 3, kinds: readonly Mutation[] = allMutations): string {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let pieces = splitPieces(text);
  for (let n = 0; n < count; n++) {
    const at = Math.floor(random() * (pieces.length + 1));
    const piece = pieces[at];
    switch (pick(kinds)) {
      case 'space':
        if (piece?.kind === 'space') pieces[at] = { kind: 'space', text: pick(spaces) || ' ' };
        else pieces.splice(at, 0, { kind: 'space', text: pick(spaces) });
        break;
      case 'comment':
        pieces.splice(at, 0, { kind: 'space', text: ' ' }, { kind: 'comment', text: pick(comments) }, { kind: 'space', text: ' ' });
        break;
      case 'comma':
        if (piece?.text === ',') pieces.splice(at, 1);
        else pieces.splice(at, 0, { kind: 'token', text: ',' });
        break;
      case 'swap':
        if (at + 2 < pieces.length) [pieces[at], pieces[at + 2]] = [pieces[at + 2]!, pieces[at]!];
        break;
      case 'drop':
        if (piece?.kind === 'token') pieces.splice(at, 1);
        break;
    }
    pieces = splitPieces(pieces.map((p) => p.text).join(''));
  }
  return pieces.map((p) => p.text).join('');
}
