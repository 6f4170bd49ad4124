// Writes a synthetic table of card payments: train.csv (20,000 ordinary payments), test.csv (5,000
// payments of which 100 are planted frauds, 25 of each of four kinds) and test-kinds.csv, each test
// row's kind: 0 = ordinary, 1 = amount (5 to 12 times the merchant's usual), 2 = country (a card
// present payment in another country than the merchant's), 3 = hour (a daytime merchant at night),
// 4 = channel (a card-present-only merchant paid online). Every fraud but the first has values that
// are each common alone; only their combination is rare. Also writes train-onehot.csv and
// test-onehot.csv, the same rows encoded by hand as plain numbers (amount and hour standardised with
// the training statistics, then the one-hot bits of merchant, country and channel) for the naive
// model. Seeded: the same files every run. `node generate.mjs [DIR]`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.';
let state = 20240611;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
const pick = (n) => Math.floor(uniform() * n);
/** An index drawn with probability proportional to `weights`. */
function draw(weights) {
  let u = uniform() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((u -= weights[i]) < 0) return i;
  return weights.length - 1;
}

const COUNTRIES = ['at', 'be', 'ch', 'de', 'dk', 'es', 'fr', 'gb', 'it', 'nl', 'pl', 'se'];
const CHANNELS = ['atm', 'online', 'pos'];
// 40 merchants, each with a country, a usual amount, opening hours and the channels it takes.
const MERCHANTS = Array.from({ length: 40 }, (_, m) => {
  const night = m % 8 === 7; // bars and night shops: open 18:00 to 03:00
  return {
    name: `m${String(m).padStart(2, '0')}`,
    country: m % 12,
    amount: Math.exp(2 + 3 * uniform()), // 7 to 150
    hours: night ? { from: 18, span: 9 } : { from: 8, span: 11 }, // day merchants 08:00 to 18:00
    channels: m % 5 === 0 ? [0] : m % 5 === 1 ? [1] : m % 5 === 2 ? [1, 2] : [2], // atm, web shop, both, shop
  };
});
const popularity = MERCHANTS.map((_, m) => 1 / (1 + (m % 13)));

function ordinary() {
  const m = draw(popularity);
  const merchant = MERCHANTS[m];
  const channel = merchant.channels[pick(merchant.channels.length)];
  // Card-present payments happen in the merchant's country; online ones from anywhere, mostly home.
  const country = channel === 1 && uniform() < 0.3 ? pick(12) : merchant.country;
  const hour = (merchant.hours.from + pick(merchant.hours.span)) % 24;
  const amount = merchant.amount * Math.exp(0.25 * normal());
  return { amount, hour, merchant: m, country, channel };
}

function fraud(kind) {
  for (;;) {
    const row = ordinary();
    const merchant = MERCHANTS[row.merchant];
    if (kind === 1) return { ...row, amount: merchant.amount * (5 + 7 * uniform()) };
    if (kind === 2 && row.channel !== 1) return { ...row, country: (merchant.country + 1 + pick(11)) % 12 };
    if (kind === 3 && merchant.hours.from === 8) return { ...row, hour: 1 + pick(4) };
    if (kind === 4 && merchant.channels.length === 1 && merchant.channels[0] === 2) return { ...row, channel: 1 };
  }
}

const train = Array.from({ length: 20000 }, ordinary);
const kinds = new Array(5000).fill(0);
for (let kind = 1; kind <= 4; kind++) {
  for (let k = 0; k < 25; ) {
    const at = pick(5000);
    if (kinds[at] === 0) (kinds[at] = kind), k++;
  }
}
const test = kinds.map((kind) => (kind === 0 ? ordinary() : fraud(kind)));

const named = (rows) =>
  ['amount,hour,merchant,country,channel', ...rows.map((r) => `${r.amount.toFixed(2)},${r.hour},${MERCHANTS[r.merchant].name},${COUNTRIES[r.country]},${CHANNELS[r.channel]}`)].join('\n') + '\n';
// The naive encoding, with the training statistics (population deviation, as aelang's tables use).
const stats = (values) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) };
};
// Both files round the amount to cents first, so the naive encoding sees what the table model reads.
const amountStats = stats(train.map((r) => Number(r.amount.toFixed(2))));
const hourStats = stats(train.map((r) => r.hour));
const oneHot = (i, n) => Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
const header = ['amount', 'hour', ...MERCHANTS.map((m) => `merchant_${m.name}`), ...COUNTRIES.map((c) => `country_${c}`), ...CHANNELS.map((c) => `channel_${c}`)];
const encoded = (rows) =>
  [
    header.join(','),
    ...rows.map((r) =>
      [
        ((Number(r.amount.toFixed(2)) - amountStats.mean) / amountStats.std).toFixed(6),
        ((r.hour - hourStats.mean) / hourStats.std).toFixed(6),
        ...oneHot(r.merchant, 40),
        ...oneHot(r.country, 12),
        ...oneHot(r.channel, 3),
      ].join(','),
    ),
  ].join('\n') + '\n';

writeFileSync(join(dir, 'train.csv'), named(train));
writeFileSync(join(dir, 'test.csv'), named(test));
writeFileSync(join(dir, 'test-kinds.csv'), 'kind\n' + kinds.join('\n') + '\n');
writeFileSync(join(dir, 'train-onehot.csv'), encoded(train));
writeFileSync(join(dir, 'test-onehot.csv'), encoded(test));
console.log(`wrote train.csv (20000 rows), test.csv (5000 rows, 100 frauds), test-kinds.csv, train-onehot.csv and test-onehot.csv in ${dir}`);
