// Shard 2 of the model conformance suite (model-suite.ts): one file per shard so that the shards run in parallel.
import { modelConformanceSuite } from './model-suite.js';

await modelConformanceSuite(1);
