// Fails the build when the message files (src/i18n/{sq,tr,en}.json) do not have the same keys,
// or a message lacks a {placeholder} that English has.
import { readFileSync } from "node:fs";

const langs = ["sq", "tr", "en"];
const load = (l) => JSON.parse(readFileSync(new URL(`../src/i18n/${l}.json`, import.meta.url), "utf8"));
const files = Object.fromEntries(langs.map((l) => [l, load(l)]));
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(",");
let problems = 0;
for (const l of langs) {
  for (const key of Object.keys(files.en)) {
    if (!(key in files[l])) { console.error(`${l}.json: missing ${key}`); problems++; }
    else if (placeholders(files[l][key]) !== placeholders(files.en[key])) { console.error(`${l}.json: ${key} has other placeholders than en.json`); problems++; }
  }
  for (const key of Object.keys(files[l])) if (!(key in files.en)) { console.error(`${l}.json: ${key} is not in en.json`); problems++; }
}
if (problems) process.exit(1);
console.log(`i18n: ${Object.keys(files.en).length} messages in ${langs.join(", ")}`);
