// Counts in messages, with thousands separators: "10,000 layers". Not toLocaleString: its first call
// loads ICU's locale data, ~13 ms of every `ae check` (the layer cap's note is built at start).

/** An integer with a comma every three digits; any other number as `toLocaleString('en-US')` writes it. */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  const head = ((digits.length - 1) % 3) + 1;
  let text = digits.slice(0, head);
  for (let at = head; at < digits.length; at += 3) text += `,${digits.slice(at, at + 3)}`;
  return n < 0 ? `-${text}` : text;
}
