// specs/fuzz/<name>.ae → <name>.errors.txt: inputs the fuzzer (or issue 13) found breaking a
// property, minimised, with the diagnostics each must get now that it is fixed. `npm run accept
// fuzz` writes them; test/goldens.test.ts compares, and test/fuzz/fuzz.test.ts checks every
// property on each.
import { errorBaselineGoldens } from '../goldens/checks.js';

export const fuzzGoldens = errorBaselineGoldens('fuzz', 'fuzz');
