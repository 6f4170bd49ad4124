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
  const singles: Record<string, EncoderMember | LatentMember | DecoderMember | OutputMember | LossMember> = {};
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
        const key = singleNames[member.kind];
        const first = singles[key];
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
        singles[key] = member;
        if (member.kind === 'EncoderMember') members.encoder = member;
        else if (member.kind === 'LatentMember') members.latent = member;
        else if (member.kind === 'DecoderMember') members.decoder = member;
        else if (member.kind === 'OutputMember') members.output = member;
        else members.loss = member;
      }
    }
  }
  const missing = [
    members.inputs.length === 0 ? 'an `input`' : undefined,
    members.latent ? undefined : 'a `latent`',
    members.decoder ? undefined : 'a `decoder`',
    members.output ? undefined : 'an `output` (`output x_hat = sigmoid`)',
  ].filter((m): m is string => m !== undefined);
  for (const what of missing) {
    reporter.report('AE2017', decl.name, `model \`${decl.name.name}\` needs ${what}`, { file });
  }
  return members;
}
