// A model's members sorted by kind: each single member at most once (a second one is reported at
// both places), the required ones present.
import type {
  CorruptMember,
  DecoderMember,
  EncoderMember,
  HeadMember,
  InputMember,
  LatentMember,
  LossMember,
  ModelDeclaration,
  OutputMember,
  TrainMember,
} from '../../grammar/ast.js';
import type { Reporter } from '../../diagnostics/reporter.js';
import { message } from '../../diagnostics/message.js';

export interface ModelMembers {
  inputs: InputMember[];
  corruptions: CorruptMember[];
  encoder?: EncoderMember;
  latent?: LatentMember;
  decoder?: DecoderMember;
  output?: OutputMember;
  heads: HeadMember[];
  loss?: LossMember;
  trains: TrainMember[];
}

const singleNames = {
  EncoderMember: 'encoder',
  LatentMember: 'latent',
  DecoderMember: 'decoder',
  OutputMember: 'output',
  LossMember: 'loss',
} as const;

export function collectMembers(decl: ModelDeclaration, reporter: Reporter, file: string): ModelMembers {
  const members: ModelMembers = { inputs: [], corruptions: [], heads: [], trains: [] };
  for (const member of decl.members) {
    switch (member.kind) {
      case 'InputMember':
        members.inputs.push(member);
        break;
      case 'CorruptMember':
        members.corruptions.push(member);
        break;
      case 'HeadMember':
        members.heads.push(member);
        break;
      case 'TrainMember':
        members.trains.push(member);
        break;
      default: {
        // The single members are kept under these same names: the first one is the one kept.
        const key = singleNames[member.kind];
        const first = members[key];
        if (first) {
          reporter.report('AE2002', member, message('AE2002', { owner: `model \`${decl.name.name}\``, count: 'two', things: 'members', name: key }), {
            file,
            related: [{ message: 'the first one', range: first.range }],
          });
          reporter.report('AE2002', first, message('AE2002', { owner: `model \`${decl.name.name}\``, count: 'two', things: 'members', name: key }), {
            file,
            related: [{ message: 'the other one', range: member.range }],
          });
          break;
        }
        if (member.kind === 'EncoderMember') members.encoder = member;
        else if (member.kind === 'LatentMember') members.latent = member;
        else if (member.kind === 'DecoderMember') members.decoder = member;
        else if (member.kind === 'OutputMember') members.output = member;
        else members.loss = member;
      }
    }
  }
  // In the order they are reported; pushed only when missing (once per model, most have them all).
  const missing: string[] = [];
  if (members.inputs.length === 0) missing.push('an `input`');
  if (!members.latent) missing.push('a `latent`');
  if (!members.decoder) missing.push('a `decoder`');
  if (!members.output) missing.push('an `output` (`output x_hat = sigmoid`)');
  for (const what of missing) {
    reporter.report('AE2017', decl.name, `model \`${decl.name.name}\` needs ${what}`, { file });
  }
  return members;
}
