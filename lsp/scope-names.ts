// The tensors a model's `loss`, heads and `freeze` can name: inputs, latent, output, `as` names and
// heads. Read from the model's declaration (so a model with an error still offers them), with the
// shapes the checker inferred where it got that far. Constants and blocks come from the resolver's
// scopes (Snapshot.program()).
import type { Layer, ModelDeclaration } from '../grammar/ast.js';
import type { Shape } from '../ir/types.js';
import type { Snapshot } from './workspace.js';

export interface TensorName {
  name: string;
  origin: 'input' | 'latent' | 'output' | 'layer' | 'head';
  shape?: Shape;
}

export function modelDeclaration(snapshot: Snapshot, model: string | undefined): ModelDeclaration | undefined {
  if (model === undefined) return undefined;
  return snapshot.analysis.ast.declarations.find((d): d is ModelDeclaration => d.kind === 'ModelDeclaration' && d.name.name === model);
}

function layerAliases(layers: readonly Layer[] | undefined): Layer[] {
  const out: Layer[] = [];
  for (const layer of layers ?? []) {
    if (layer.kind === 'RepeatLayers') out.push(...layerAliases(layer.layers));
    else if (layer.alias) out.push(layer);
  }
  return out;
}

export function tensorNames(snapshot: Snapshot, model: string | undefined): TensorName[] {
  const decl = modelDeclaration(snapshot, model);
  if (!decl) return [];
  const checked = snapshot.analysis.models.find((m) => m.decl === decl);
  const shape = (name: string) => checked?.tensors.get(name)?.shape;
  const out: TensorName[] = [];
  const add = (name: string, origin: TensorName['origin']) => {
    if (name === '' || out.some((t) => t.name === name)) return;
    const s = shape(name);
    out.push({ name, origin, ...(s ? { shape: s } : {}) });
  };
  for (const member of decl.members) {
    switch (member.kind) {
      case 'InputMember':
        add(member.name.name, 'input');
        break;
      case 'LatentMember':
        add(member.name.name, 'latent');
        break;
      case 'OutputMember':
        add(member.name.name, 'output');
        break;
      case 'HeadMember':
        add(member.name.name, 'head');
        for (const l of layerAliases(member.layers)) if (l.kind === 'LayerCall') add(l.alias!.name, 'layer');
        break;
      case 'EncoderMember':
      case 'DecoderMember':
        for (const l of layerAliases(member.layers)) if (l.kind === 'LayerCall') add(l.alias!.name, 'layer');
        break;
      default:
        break;
    }
  }
  return out;
}
