// `ae.server.command` as VS Code users write it: `${workspaceFolder}/node_modules/.bin/ae`,
// `~/bin/ae`. VS Code expands neither in an extension's own settings (only in tasks and launch
// configurations), so the extension does: `${workspaceFolder}` (the first folder, or the named one
// in `${workspaceFolder:name}`), `${userHome}` and a leading `~`. Kept free of the vscode module so
// the tests run it.

export interface CommandContext {
  /** The open workspace folders, first first: their names and file-system paths. */
  folders: readonly { name: string; path: string }[];
  home: string;
}

export type Expanded = { ok: true; command: string } | { ok: false; error: string };

export function expandServerCommand(command: string, context: CommandContext): Expanded {
  let missing: string | undefined;
  let expanded = command.replace(/\$\{(workspaceFolder(?::([^}]+))?|userHome)\}/g, (whole, variable: string, name: string | undefined) => {
    if (variable === 'userHome') return context.home;
    const folder = name === undefined ? context.folders[0] : context.folders.find((f) => f.name === name);
    if (folder) return folder.path;
    missing ??= name === undefined ? `${whole} (no folder is open)` : `${whole} (no open folder is named '${name}')`;
    return whole;
  });
  if (missing) return { ok: false, error: `ae.server.command names ${missing}` };
  if (expanded === '~' || expanded.startsWith('~/')) expanded = context.home + expanded.slice(1);
  return { ok: true, command: expanded };
}
