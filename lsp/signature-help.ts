// Signature help: the parameters of the call the cursor is in, the one being written highlighted.
import type { SignatureHelp } from 'vscode-languageserver';
import { lookupBuiltin, parameterLabel, type BuiltinParameter } from './builtins.js';
import { callParameters } from './completion.js';
import { cursorContext } from './cursor-context.js';
import type { Snapshot } from './workspace.js';

export function signatureHelp(text: string, offset: number, snapshot: Snapshot | undefined): SignatureHelp | null {
  const { call } = cursorContext(text, offset);
  if (!call || call.callee === '') return null;
  const builtin = call.namespace === undefined ? lookupBuiltin(call.callee, call.site) : undefined;
  const parameters: BuiltinParameter[] = callParameters(call, snapshot?.program());
  if (!builtin && parameters.length === 0) {
    const block = snapshot?.program().blocks.get(call.callee);
    if (!block) return null;
  }
  const name = call.namespace === undefined ? call.callee : `${call.namespace}.${call.callee}`;
  const labels = parameters.map(parameterLabel);
  const label = `${name}(${labels.join(', ')})`;
  let active = call.currentName !== undefined ? parameters.findIndex((p) => p.name === call.currentName) : call.positionalBefore;
  if (active < 0 || active >= parameters.length) active = parameters.length === 0 ? 0 : Math.min(active, parameters.length - 1);
  let at = name.length + 1;
  const spans = labels.map((l) => {
    const span: [number, number] = [at, at + l.length];
    at += l.length + 2;
    return span;
  });
  return {
    signatures: [
      {
        label,
        ...(builtin ? { documentation: builtin.doc } : { documentation: `block ${name}` }),
        parameters: parameters.map((p, i) => ({ label: spans[i]!, ...(p.type ? { documentation: p.type } : {}) })),
      },
    ],
    activeSignature: 0,
    activeParameter: active,
  };
}
