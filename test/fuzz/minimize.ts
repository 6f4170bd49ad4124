// Shrinks a failing input while it still fails the same way: whole lines first, then tokens, then
// characters (delta debugging, one chunk size at a time from halves down to single pieces), within
// a budget of checks so that minimising never takes longer than the run that found the failure.
import { splitPieces } from '../format/mutate.js';

export async function minimize(text: string, stillFails: (candidate: string) => Promise<boolean>, budget = 400): Promise<string> {
  let checks = 0;
  let current = text;
  const shrink = async (split: (t: string) => string[]): Promise<void> => {
    let pieces = split(current);
    for (let chunk = Math.max(1, Math.floor(pieces.length / 2)); chunk >= 1; chunk = Math.floor(chunk / 2)) {
      for (let at = 0; at < pieces.length && checks < budget; ) {
        const candidate = [...pieces.slice(0, at), ...pieces.slice(at + chunk)];
        checks++;
        if (await stillFails(candidate.join(''))) {
          pieces = candidate;
          current = candidate.join('');
        } else at += chunk;
      }
      if (chunk === 1 || checks >= budget) break;
    }
  };
  await shrink((t) => t.split(/(?<=\n)/));
  await shrink((t) => splitPieces(t).map((p) => p.text));
  if (current.length <= 200) await shrink((t) => [...t]);
  return current;
}
