// The values the plugin takes from Prettier (its doc builders and utilities), from Prettier's
// standalone build. `ae fmt` formats through that build (format.ts), so a fresh process loads its
// 85 KB and not index.mjs (678 KB, ~70 ms to load) and doc.mjs besides. The builders make plain
// objects that any Prettier printer reads by their `type`, and the utilities are pure functions, so
// the plugin prints the same when Prettier's own CLI or API loads it. standalone.d.ts declares only
// the format functions; the module exports `doc` and `util` as index.mjs does.
import type * as Prettier from 'prettier';
import * as standalone from 'prettier/standalone';

const prettier = standalone as unknown as Pick<typeof Prettier, 'doc' | 'util'>;

export const { util } = prettier;
export const { builders, utils } = prettier.doc;
