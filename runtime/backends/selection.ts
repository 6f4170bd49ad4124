import type { BackendName } from '../backend-names.js';

/** What selectBackend chose, kept for describe.ts (run.json). */
export interface SelectionRecord {
  name: BackendName;
  detail: string;
  info: Record<string, unknown>;
}

let current: SelectionRecord | undefined;

export function rememberSelection(record: SelectionRecord): void {
  current = record;
}

export function currentSelection(): SelectionRecord | undefined {
  return current;
}
