/** The tfjs backends the runtime can train on, best first. */
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** `auto` tries these in order and takes the first that loads. */
export const BACKENDS_BEST_FIRST: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

export function isBackendName(text: string): text is BackendName {
  return (BACKENDS_BEST_FIRST as readonly string[]).includes(text);
}
