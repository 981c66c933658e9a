#!/usr/bin/env node
// A second independent verifier: the Digital Credentials Consortium's verifier-core, the
// library behind its VerifierPlus site and the Learner Credential Wallet. It has its own
// copies of the JSON-LD contexts (not ours) and its own did:web resolver, and fetches DID
// documents and status lists over HTTP; here `fetch` is replaced, before the library is
// loaded, by one that serves the files of SITE at their published URLs and answers 404 to
// anything else, so nothing leaves the machine.
//
//   node verify-dcc.mjs SITE                    every awards/*/*/credential.json of SITE, and
//                                               every endorsements/*.json ("dcc-endorsement")
//   node verify-dcc.mjs SITE --credential F...  only the files F (negative controls)
//
// Prints one JSON line per credential:
//   {"kind": "dcc", file, signature, revoked, expired, schema, errors}
// from the library's steps valid_signature, revocation_status and expiration (revoked and
// expired are null when the step was not reached) and its JSON Schema check (schema: the
// schema URL it chose, whether the credential is valid against it, and its errors), then
// {"kind": "summary", ...}. 1EdTech's published JSON Schemas, which the library downloads
// from purl.imsglobal.org, are served from the copies in tests/standards/ (see the README
// there). Exits 1 if a signature did not verify or a credential failed the schema. Not checked here: the library's
// issuer-registry step (it needs the DCC registries, online).

import {readFile} from 'node:fs/promises';
import path from 'node:path';

import {
  awardFolders, didWebUrl, endorsementFiles, inferBaseUrl, parseArgs, readJson, siteFile
} from './site.mjs';

// 1EdTech's schemas, published under this URL, vendored in tests/standards/ob-v3p0/.
const SCHEMAS_URL = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/';
const SCHEMAS_DIR = new URL('../standards/ob-v3p0/', import.meta.url);

function usage(message) {
  process.stderr.write(
    `${message}\nusage: node verify-dcc.mjs SITE [--base-url URL] [--did-document DID=FILE] ` +
    '[--credential FILE ...]\n');
  process.exit(2);
}

const options = parseArgs(process.argv.slice(2), usage);
const {site} = options;
const folders = await awardFolders(site);
const baseUrl = options.baseUrl || await inferBaseUrl(site, folders);
const requested = [];
// The URL each did:web given with --did-document resolves at, and its vendored document.
const didFiles = new Map(
  [...options.didDocuments].map(([did, file]) => [didWebUrl(did), file]));

globalThis.fetch = async input => {
  const url = typeof input === 'string' ? input : (input.url || String(input));
  requested.push(url);
  let file;
  try {
    const name = url.startsWith(SCHEMAS_URL) && url.slice(SCHEMAS_URL.length);
    file = didFiles.get(url.split('#')[0]) || (name && /^[a-z0-9_]+\.json$/.test(name) ?
      new URL(name, SCHEMAS_DIR) : siteFile(site, baseUrl, url.split('#')[0]));
  } catch(e) {
    // what a verifier without network sees
    throw new TypeError(`fetch failed (offline test): ${e.message}`);
  }
  try {
    return new Response(await readFile(file),
      {status: 200, headers: {'content-type': 'application/json'}});
  } catch {
    return new Response('Not Found', {status: 404, headers: {'content-type': 'text/plain'}});
  }
};

// stdout carries the JSON reports only: the library's own logging goes to stderr.
const stderr = console.error.bind(console);
const toStderr = (...args) => stderr(...args);
console.log = toStderr;
console.info = toStderr;
console.warn = toStderr;
console.error = toStderr;

const {verifyCredential} = await import('@digitalcredentials/verifier-core');

// The library's JSON Schema check: {url, valid, errors}, or null if it did not run one.
function schemaCheck(result) {
  const entry = (result.additionalInformation || []).find(e => e.id === 'schema_check');
  if(!entry || !Array.isArray(entry.results) || !entry.results.length) {
    return entry ? {url: null, valid: false, errors: [String(entry.results)]} : null;
  }
  const [{schema, result: outcome}] = entry.results;
  return {
    url: schema, valid: outcome.valid === true,
    errors: (outcome.errors || []).map(e => `${e.instancePath || '/'}: ${e.message}`)
  };
}

function step(log, id) {
  const entry = (log || []).find(e => e.id === id);
  return entry ? entry.valid === true : null;
}

async function check(file) {
  const report = {kind: 'dcc', file, signature: false, revoked: null, expired: null,
    schema: null, errors: null};
  try {
    const credential = await readJson(file);
    const result = await verifyCredential({credential, knownDIDRegistries: []});
    if(result.errors) {
      report.errors = result.errors.map(e => {
        let text = `${e.name}: ${e.message}`;
        if(e.details && e.details.event) {
          text += ` [${e.details.event.code}: ${JSON.stringify(e.details.event.details)}]`;
        }
        return text;
      });
    }
    report.signature = step(result.log, 'valid_signature') === true;
    report.schema = schemaCheck(result);
    const notRevoked = step(result.log, 'revocation_status');
    const notExpired = step(result.log, 'expiration');
    report.revoked = notRevoked === null ? null : !notRevoked;
    report.expired = notExpired === null ? null : !notExpired;
  } catch(e) {
    report.errors = [String(e && e.message || e)];
  }
  return report;
}

const files = options.credentials ||
  folders.map(folder => path.join(folder, 'credential.json'));
const reports = [];
for(const file of files) {
  const report = await check(file);
  reports.push(report);
  process.stdout.write(JSON.stringify(report) + '\n');
}
// Every endorsement of the site (EndorsementCredential), unless only some files were given.
if(!options.credentials) {
  for(const file of await endorsementFiles(site)) {
    const report = {...await check(file), kind: 'dcc-endorsement'};
    reports.push(report);
    process.stdout.write(JSON.stringify(report) + '\n');
  }
}
const failed = reports.filter(r => !r.signature || !(r.schema && r.schema.valid)).length;
process.stdout.write(JSON.stringify({
  kind: 'summary', baseUrl, credentials: reports.length, failed,
  requested: [...new Set(requested)].sort()
}) + '\n');
process.exit(failed ? 1 : 0);
