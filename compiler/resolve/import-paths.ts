// Path arithmetic for imports, on `/`-separated text, with no Node module (the compiler also runs
// in the browser, where there is no disk and no `node:path`). Inside the compiler a file is named
// by a `/`-separated path; a host (the disk, an in-memory file set) maps it to what it reads. A
// `\` is read as `/`, so a Windows path given by a caller names the same file.

/** `/`-separated and normalised: no `.`, no `x/..`, no doubled `/`; `./lib.ae` and `lib.ae` are one file. */
export function normalise(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:/.exec(slashed)?.[0] ?? '';
  const rest = slashed.slice(drive.length);
  const absolute = rest.startsWith('/');
  const parts: string[] = [];
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part === '..' && absolute) continue; // `/..` is `/`
    else parts.push(part);
  }
  const joined = parts.join('/');
  if (absolute) return `${drive}/${joined}`;
  return drive + (joined || '.');
}

export function isAbsolute(file: string): boolean {
  return /^([A-Za-z]:)?[\\/]/.test(file);
}

/** The directory part (`.` for a bare name, `/` for a file at the root). */
export function dirname(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  const cut = slashed.lastIndexOf('/');
  if (cut < 0) return '.';
  if (cut === 0) return '/';
  return slashed.slice(0, cut);
}

export function basename(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  return slashed.slice(slashed.lastIndexOf('/') + 1);
}

/** `written` (as in an `import`) relative to the importing file, normalised; an absolute path as it is. */
export function importTarget(importer: string, written: string): string {
  return normalise(isAbsolute(written) ? written : `${dirname(importer)}/${written}`);
}
