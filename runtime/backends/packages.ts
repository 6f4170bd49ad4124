import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Whether an optional package is installed, without importing it (importing can have side effects,
 * e.g. tfjs-backend-webgpu registers itself only if navigator.gpu already exists).
 */
export function isInstalled(packageName: string): boolean {
  try {
    require.resolve(packageName);
    return true;
  } catch (error) {
    // A package that exists but only exports an `import` condition cannot be require-resolved.
    return (error as NodeJS.ErrnoException).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

/** The file a package's main entry resolves to (used to find the wasm binaries beside it). */
export function resolvePackageFile(packageName: string): string {
  return require.resolve(packageName);
}

/** First line of an error's message, for one-line log entries. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}
