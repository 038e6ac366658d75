// search.js's index loading and ranking against the Rust reference, on index files that
// tests/search_js.rs wrote to a folder. Usage: node search_engine.mjs DIR EXPECT.json,
// where EXPECT.json is [{query, urls, first?, mark?}] — `urls` the full ranked result
// of the Rust side, `first` the url that must come first, `mark` a text that the first
// result's snippet must highlight.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSearch } from './search_load.mjs';

const [dir, expectFile] = process.argv.slice(2);
const search = loadSearch();
const engine = search.createEngine(async (name) => {
  return JSON.parse(readFileSync(join(dir, name), 'utf8'));
});
let failed = 0;
const fail = (msg) => { console.error(msg); failed++; };
for (const e of JSON.parse(readFileSync(expectFile, 'utf8'))) {
  const res = await engine.search(e.query);
  const docs = await engine.docs(res.ids);
  const urls = docs.map((d) => d.url);
  if (JSON.stringify(urls) !== JSON.stringify(e.urls)) {
    fail(`${e.query}: got ${JSON.stringify(urls)}\n  expected ${JSON.stringify(e.urls)}`);
    continue;
  }
  if (e.first && urls[0] !== e.first) fail(`${e.query}: first ${urls[0]}, expected ${e.first}`);
  if (e.mark) {
    const parts = search.snippet(docs[0].text, search.needles(e.query));
    const marked = parts.filter((p) => p.mark).map((p) => p.text);
    if (!marked.includes(e.mark)) fail(`${e.query}: snippet marks ${JSON.stringify(marked)}, not ${e.mark}`);
  }
}
// Highlighting maps normalised matches back onto the original characters.
const parts = search.highlight('ＷｉＦｉ覆盖，１２个小区', search.needles('wifi 12'));
const marked = parts.filter((p) => p.mark).map((p) => p.text);
if (JSON.stringify(marked) !== JSON.stringify(['ＷｉＦｉ', '１２'])) fail(`highlight: ${JSON.stringify(marked)}`);
if (failed) process.exit(1);
console.log('search.js ranks as the Rust index does');
