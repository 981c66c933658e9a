#!/usr/bin/env node
// JSON-LD safe mode, by an implementation that shares no code with generator/: Digital
// Bazaar's jsonld.js expands each document with {safe: true}, so a term or a value that
// no context defines is an error instead of being silently dropped. Contexts come only from
// generator/openbadges/contexts (index.json); any other URL is refused, nothing is fetched.
//
//   node expand.mjs FILE...
//
// Prints one JSON line per file, {"file", "expanded", "error"}; exits 1 if one failed.

import path from 'node:path';
import {fileURLToPath} from 'node:url';

import jsonld from 'jsonld';

import {readJson} from './site.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONTEXTS = path.resolve(HERE, '..', '..', 'generator', 'openbadges', 'contexts');

const index = await readJson(path.join(CONTEXTS, 'index.json'));
const contexts = new Map();
for(const [url, {file}] of Object.entries(index)) {
  contexts.set(url, await readJson(path.join(CONTEXTS, file)));
}

async function documentLoader(url) {
  if(!contexts.has(url)) {
    throw new Error(`refusing to load ${url}: not a bundled context; nothing is fetched`);
  }
  return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
}

let failed = 0;
for(const file of process.argv.slice(2)) {
  const report = {file, expanded: false, error: null};
  try {
    const expanded = await jsonld.expand(await readJson(file), {safe: true, documentLoader});
    report.expanded = expanded.length > 0;
    if(!report.expanded) {
      report.error = 'expanded to nothing';
    }
  } catch(e) {
    const details = e && e.details ? ` ${JSON.stringify(e.details).slice(0, 300)}` : '';
    report.error = `${e && e.message || e}${details}`;
  }
  failed += report.expanded ? 0 : 1;
  process.stdout.write(JSON.stringify(report) + '\n');
}
process.exit(failed ? 1 : 0);
