// Loads themes/default/static/search.js under node: the script exports its functions
// through `module` when there is no `document`, whatever the surrounding package type.
import { readFileSync } from 'node:fs';

export function loadSearch() {
  const src = readFileSync(new URL('../themes/default/static/search.js', import.meta.url), 'utf8');
  const module = { exports: {} };
  new Function('module', src)(module);
  return module.exports;
}
