// Sharing a model by link: the spec deflated (CompressionStream 'deflate-raw') and written in
// base64url into the URL's fragment, `#code=…`; the fragment never reaches a server. And the CLI
// form of the same model: a shell snippet that writes the file and checks it with `ae`.

export async function encodeSpec(text: string): Promise<string> {
  const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The spec a fragment holds; throws with a reason when the fragment is not one this page wrote. */
export async function decodeSpec(encoded: string): Promise<string> {
  const base64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new TextDecoder('utf-8', { fatal: true }).decode(await new Response(stream).arrayBuffer());
}

export async function shareLink(text: string, location: Location): Promise<string> {
  return `${location.origin}${location.pathname}#code=${await encodeSpec(text)}`;
}

/** The spec in the fragment (`#code=…`), or undefined when there is none. */
export function encodedFromHash(hash: string): string | undefined {
  const match = /^#code=([A-Za-z0-9_-]+)$/.exec(hash);
  return match?.[1];
}

/** A shell snippet that writes the spec to `file` and checks and trains it with `ae`. */
export function aeCommand(text: string, file = 'model.ae'): string {
  // A quoted heredoc delimiter: the shell expands nothing inside; the delimiter never occurs in a spec line.
  let delimiter = 'AE_SPEC';
  while (text.split('\n').includes(delimiter)) delimiter += '_';
  return `cat > ${file} <<'${delimiter}'\n${text.endsWith('\n') ? text : `${text}\n`}${delimiter}\nae check ${file} && ae train ${file}\n`;
}
