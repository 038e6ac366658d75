// The query splitter of search.js against the cases the Rust tokenizer is tested with.
// Run by tests/search_js.rs; exits non-zero on any difference.
import { readFileSync } from 'node:fs';
import { loadSearch } from './search_load.mjs';

const search = loadSearch();
const cases = JSON.parse(readFileSync(new URL('./search_cases.json', import.meta.url), 'utf8'));
let failed = 0;
for (const c of cases) {
  const got = search.tokenize(c.input);
  if (JSON.stringify(got) !== JSON.stringify(c.tokens)) {
    console.error(`tokenize(${JSON.stringify(c.input)}) = ${JSON.stringify(got)}, expected ${JSON.stringify(c.tokens)}`);
    failed++;
  }
}
// Shard numbers printed by the Rust test, when given: FNV-1a must agree byte for byte.
if (process.argv[2]) {
  for (const [term, shards, expected] of JSON.parse(readFileSync(process.argv[2], 'utf8'))) {
    const got = search.shardOf(term, shards);
    if (got !== expected) {
      console.error(`shardOf(${JSON.stringify(term)}, ${shards}) = ${got}, expected ${expected}`);
      failed++;
    }
  }
}
if (failed) process.exit(1);
console.log(`${cases.length} tokenizer cases agree`);
