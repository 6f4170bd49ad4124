// The outline: constants, blocks, imports and models, each model with its members and named layers.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { Identifier, Layer, ModelMember, SourceFile, SourceRange } from '../grammar/ast.js';
import { toLspRange } from './convert.js';

export function documentSymbols(ast: SourceFile): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const decl of ast.declarations) {
    switch (decl.kind) {
      case 'ImportDeclaration':
        out.push(symbol(decl.alias?.name ?? decl.path.raw, SymbolKind.Module, decl.range, decl.alias?.range ?? decl.path.range, `import ${decl.path.raw}`));
        break;
      case 'LetDeclaration':
        out.push(symbol(decl.name.name, SymbolKind.Constant, decl.range, decl.name.range));
        break;
      case 'BlockDeclaration':
        out.push(
          symbol(decl.name.name, SymbolKind.Class, decl.range, decl.name.range, `block(${decl.parameters.map((p) => p.name.name).join(', ')})`, layerNames(decl.layers)),
        );
        break;
      case 'ModelDeclaration':
        out.push(symbol(decl.name.name, SymbolKind.Struct, decl.range, decl.name.range, 'model', decl.members.flatMap(memberSymbol)));
        break;
    }
  }
  return out;
}

function memberSymbol(member: ModelMember): DocumentSymbol[] {
  const named = (id: Identifier, kind: SymbolKind, detail: string, children: DocumentSymbol[] = []) => [symbol(id.name, kind, member.range, id.range, detail, children)];
  switch (member.kind) {
    case 'InputMember':
      return named(member.name, SymbolKind.Variable, 'input');
    case 'LatentMember':
      return named(member.name, SymbolKind.Variable, 'latent');
    case 'OutputMember':
      return named(member.name, SymbolKind.Variable, 'output');
    case 'HeadMember':
      return named(member.name, SymbolKind.Variable, 'head', layerNames(member.layers));
    case 'EncoderMember':
      return [symbol('encoder', SymbolKind.Namespace, member.range, member.keyword, '', layerNames(member.layers))];
    case 'DecoderMember':
      return [symbol('decoder', SymbolKind.Namespace, member.range, member.keyword, member.mirror ? 'mirror' : '', layerNames(member.layers ?? []))];
    case 'CorruptMember':
      return [symbol(`corrupt ${member.target.name}`, SymbolKind.Event, member.range, member.target.range)];
    case 'LossMember':
      return [symbol('loss', SymbolKind.Function, member.range, member.range)];
    case 'TrainMember':
      return [symbol(member.name ? `train ${member.name.name}` : 'train', SymbolKind.Event, member.range, member.name?.range ?? member.range)];
  }
}

function layerNames(layers: readonly Layer[]): DocumentSymbol[] {
  return layers.flatMap((layer) => {
    if (layer.kind === 'RepeatLayers') return layerNames(layer.layers);
    return layer.alias ? [symbol(layer.alias.name, SymbolKind.Field, layer.range, layer.alias.range, 'layer')] : [];
  });
}

function symbol(name: string, kind: SymbolKind, range: SourceRange, selection: SourceRange, detail = '', children: DocumentSymbol[] = []): DocumentSymbol {
  // A client requires the selection inside the range; recovered nodes may break that.
  const within = selection.start.offset >= range.start.offset && selection.end.offset <= range.end.offset;
  return {
    name: name === '' ? '?' : name,
    kind,
    range: toLspRange(range),
    selectionRange: toLspRange(within ? selection : range),
    ...(detail ? { detail } : {}),
    ...(children.length > 0 ? { children } : {}),
  };
}
