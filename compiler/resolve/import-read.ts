// What reading an imported file gives back, shared by every host that reads files (the disk in
// source-files.ts, an in-memory file set in memory-host.ts). Kept apart from source-files.ts so
// that the compiler's core imports no Node module and bundles for the browser.

/** Why an import was not read (shown to the user; never the file's contents). */
export interface ImportRefusal {
  refused: string;
}

/** A file's text, undefined when there is no such file, or the reason it may not be read. */
export type ImportRead = string | undefined | ImportRefusal;

export function isRefusal(read: ImportRead): read is ImportRefusal {
  return typeof read === 'object';
}
