// A code's message is built from its catalogue template, never written at the report site:
// `message('AE3002', { layer, expected, actual })` fills `{layer}`, `{expected}`, `{actual}`.
import { diagnosticCatalogue, type CatalogueEntries, type DiagnosticCode } from './codes/index.js';

/** The placeholder names in a template: `'{a} then {b}'` gives `'a' | 'b'`. */
export type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The codes whose catalogue entry has a message template. */
export type TemplatedCode = {
  [C in DiagnosticCode]: CatalogueEntries[C] extends { message: string } ? C : never;
}[DiagnosticCode];

type TemplateOf<C extends TemplatedCode> = CatalogueEntries[C] extends { message: infer T extends string } ? T : never;

export type MessageValues<C extends TemplatedCode> = Record<Placeholders<TemplateOf<C>>, string | number>;

export function message<C extends TemplatedCode>(code: C, values: MessageValues<C>): string {
  const template = diagnosticCatalogue[code].message as string;
  const filled = values as Record<string, string | number>;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in filled)) throw new Error(`message ${code}: no value for {${name}}`);
    return String(filled[name]);
  });
}

/** Whether `text` is what `code`'s template gives for some values (true for codes without one). */
export function fitsTemplate(code: DiagnosticCode, text: string): boolean {
  const template = diagnosticCatalogue[code].message;
  if (template === undefined) return true;
  const pattern = template
    .split(/\{\w+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^]*?');
  return new RegExp(`^${pattern}$`).test(text);
}
