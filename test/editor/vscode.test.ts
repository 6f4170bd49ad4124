// The VS Code extension's manifest and its server-command setting: the Prettier plugin names the
// extension's language id (so Prettier's extension formats .ae files), the executable-path setting
// is machine-overridable and restricted in untrusted workspaces, and `${workspaceFolder}` / `~` in it
// are expanded (VS Code does not expand variables in an extension's settings).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languages } from '../../compiler/format/plugin.js';
import { expandServerCommand } from '../../editor/vscode/src/server-command.js';
import { repositoryRoot } from '../goldens/files.js';

const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'editor/vscode/package.json'), 'utf8'));

describe('the VS Code extension manifest', () => {
  it("has the language id the Prettier plugin's vscodeLanguageIds name", () => {
    const ids = manifest.contributes.languages.map((l: { id: string }) => l.id);
    expect(ids).toEqual(['ae']);
    expect(languages.flatMap((l) => l.vscodeLanguageIds ?? [])).toEqual(ids);
  });

  it('makes ae.server.command machine-overridable and restricted in untrusted workspaces', () => {
    expect(manifest.contributes.configuration.properties['ae.server.command'].scope).toBe('machine-overridable');
    expect(manifest.capabilities.untrustedWorkspaces).toMatchObject({ supported: 'limited', restrictedConfigurations: ['ae.server.command'] });
  });
});

describe('ae.server.command expansion', () => {
  const context = { folders: [{ name: 'app', path: '/work/app' }, { name: 'lib', path: '/work/lib' }], home: '/home/me' };

  it('expands ${workspaceFolder} to the first folder, ${workspaceFolder:name} to the named one', () => {
    expect(expandServerCommand('${workspaceFolder}/node_modules/.bin/ae', context)).toEqual({ ok: true, command: '/work/app/node_modules/.bin/ae' });
    expect(expandServerCommand('${workspaceFolder:lib}/node_modules/.bin/ae', context)).toEqual({ ok: true, command: '/work/lib/node_modules/.bin/ae' });
  });

  it('expands ~ at the start and ${userHome} anywhere, and leaves a plain command alone', () => {
    expect(expandServerCommand('~/bin/ae', context)).toEqual({ ok: true, command: '/home/me/bin/ae' });
    expect(expandServerCommand('${userHome}/bin/ae', context)).toEqual({ ok: true, command: '/home/me/bin/ae' });
    expect(expandServerCommand('/opt/a~b/ae', context)).toEqual({ ok: true, command: '/opt/a~b/ae' });
    expect(expandServerCommand('ae', context)).toEqual({ ok: true, command: 'ae' });
  });

  it('says which variable has no folder to stand for', () => {
    expect(expandServerCommand('${workspaceFolder}/node_modules/.bin/ae', { folders: [], home: '/h' })).toEqual({
      ok: false,
      error: 'ae.server.command names ${workspaceFolder} (no folder is open)',
    });
    expect(expandServerCommand('${workspaceFolder:other}/ae', context)).toEqual({ ok: false, error: "ae.server.command names ${workspaceFolder:other} (no open folder is named 'other')" });
  });
});
