// The examples of docs/diagnostics.md as whole files. An example that starts with a declaration
// (`model`, `let`, `block`, `import`, a comment) is a file already; otherwise its lines are model
// members spliced into the base model the page starts from: a member replaces the base member of
// the same kind (an input only the input of the same name), and anything else is added.
import { readFileSync } from 'node:fs';

export const docsText = readFileSync(new URL('../../docs/diagnostics.md', import.meta.url), 'utf8');

export interface DocSection {
  code: string;
  title: string;
  body: string;
  wrong?: string;
  right?: string;
}

export function docSections(): DocSection[] {
  return docsText
    .split(/^## /m)
    .slice(1)
    .flatMap((part) => {
      const heading = /^(AE\d{4}) — (.*)$/m.exec(part);
      if (!heading) return [];
      const example = (label: string) => new RegExp(`${label}:\\n\`\`\`ae\\n([\\s\\S]*?)\`\`\``).exec(part)?.[1];
      return [{ code: heading[1]!, title: heading[2]!.trim(), body: part, wrong: example('Wrong'), right: example('Right') }];
    });
}

const baseModel = /The base model:[\s\S]*?```ae\n([\s\S]*?)```/.exec(docsText)?.[1] ?? '';

/** Members of a model body: each starts on a line indented by exactly two spaces. */
function members(lines: string[]): string[][] {
  const out: string[][] = [];
  for (const line of lines) {
    if (/^ {2}\S/.test(line) || out.length === 0) out.push([line]);
    else out[out.length - 1]!.push(line);
  }
  return out;
}

const keyOf = (member: string[]) => {
  const [keyword, name] = member[0]!.trim().split(/[\s:=({]+/);
  return keyword === 'input' ? `input ${name}` : ['head', 'train', 'corrupt'].includes(keyword!) ? undefined : keyword;
};

export function completeExample(example: string): string {
  if (/^(model|let|block|import|\/\/|\/\*)/.test(example)) return example;
  const baseLines = baseModel.trimEnd().split('\n');
  const body = members(baseLines.slice(1, -1));
  for (const member of members(example.trimEnd().split('\n'))) {
    const key = keyOf(member);
    const at = key === undefined ? -1 : body.findIndex((m) => keyOf(m) === key);
    if (at >= 0) body[at] = member;
    else if (key?.startsWith('input ')) body.splice(body.filter((m) => keyOf(m)?.startsWith('input ')).length, 0, member);
    else body.push(member);
  }
  return [baseLines[0], ...body.flat(), baseLines[baseLines.length - 1]].join('\n') + '\n';
}
