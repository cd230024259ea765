/**
 * The synthetic bank of bench/cat (same size — BENCH_CAT_BANK_ITEMS, default 400 — and seed) as
 * JSON on stdout, for the exposure oracle (cat-exposure-lp.py), which needs SciPy and is therefore
 * outside `npm run bench`:
 *
 *   node_modules/.bin/node bench/oracle/cat-bank.ts | python3 bench/oracle/cat-exposure-lp.py
 *   node_modules/.bin/node bench/oracle/cat-bank.ts 1000 | …   # another bank: the seed shifted by 1,000
 *   BENCH_CAT_BANK_ITEMS=800 node_modules/.bin/node bench/oracle/cat-bank.ts | …   # 800 items, as the bench with it
 */
import { DEFAULT_CAT, syntheticBank } from '../cat.ts';

const shift = Number(process.argv[2] ?? 0);
if (!Number.isInteger(shift)) throw new Error(`the seed shift must be an integer (got ${process.argv[2]})`);
const bank = syntheticBank(DEFAULT_CAT.bankSize, DEFAULT_CAT.seed + shift + 11);
process.stdout.write(`${JSON.stringify(bank.map(({ a, b, area }) => ({ a, b, area })))}\n`);
