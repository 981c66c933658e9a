// Helpers shared by the verifiers: where things are in a built site, and how a URL of the
// published site maps onto it. No network: a URL outside the site is refused.

import {readFile, readdir, stat} from 'node:fs/promises';
import path from 'node:path';

export async function exists(file) {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

export async function readJson(file) {
  return JSON.parse(await readFile(file, 'utf8'));
}

async function listDirs(dir) {
  if(!(await exists(dir))) {
    return [];
  }
  const entries = await readdir(dir, {withFileTypes: true});
  return entries.filter(e => e.isDirectory()).map(e => e.name).sort();
}

// SITE/awards/<issuer>/<award>/
export async function awardFolders(site) {
  const folders = [];
  const awards = path.join(site, 'awards');
  for(const issuer of await listDirs(awards)) {
    for(const award of await listDirs(path.join(awards, issuer))) {
      folders.push(path.join(awards, issuer, award));
    }
  }
  return folders;
}

// SITE/issuers/<issuer>/status/revocation.json
export async function statusListFiles(site) {
  const files = [];
  const issuers = path.join(site, 'issuers');
  for(const issuer of await listDirs(issuers)) {
    const file = path.join(issuers, issuer, 'status', 'revocation.json');
    if(await exists(file)) {
      files.push(file);
    }
  }
  return files;
}

// SITE/endorsements/<id>.json: every EndorsementCredential the site publishes
export async function endorsementFiles(site) {
  return jsonFiles(path.join(site, 'endorsements'));
}

// SITE/endorsements/status/<endorser>.json: the endorsers' status lists
export async function endorsementStatusFiles(site) {
  return jsonFiles(path.join(site, 'endorsements', 'status'));
}

async function jsonFiles(folder) {
  if(!(await exists(folder))) {
    return [];
  }
  const entries = await readdir(folder, {withFileTypes: true});
  return entries.filter(e => e.isFile() && e.name.endsWith('.json'))
    .map(e => path.join(folder, e.name)).sort();
}

export function sitePath(site, file) {
  return path.relative(site, file).split(path.sep).join('/');
}

// The site's base URL: a credential's id is the URL at which it is served, so its id
// minus its path inside SITE is the base.
export async function inferBaseUrl(site, folders) {
  for(const folder of folders) {
    const file = path.join(folder, 'credential.json');
    if(await exists(file)) {
      const {id} = await readJson(file);
      const relative = sitePath(site, file);
      if(typeof id === 'string' && id.endsWith(relative)) {
        return id.slice(0, id.length - relative.length);
      }
    }
  }
  return null;
}

// The file of SITE served at url (base URL + path), or an error: nothing else is loaded.
export function siteFile(site, baseUrl, url) {
  if(!baseUrl || !url.startsWith(baseUrl)) {
    throw new Error(`refusing to load ${url}: not a file of the site (${baseUrl}); ` +
      'nothing is fetched from the network');
  }
  const relative = decodeURIComponent(new URL(url).pathname)
    .slice(decodeURIComponent(new URL(baseUrl).pathname).length);
  const file = path.resolve(site, relative);
  if(!file.startsWith(site + path.sep)) {
    throw new Error(`refusing to load ${url}: outside the site`);
  }
  return file;
}

// did:web:host[%3Aport]:seg:seg -> https://host[:port]/seg/seg/did.json
// did:web:host -> https://host/.well-known/did.json (W3C CCG did:web method).
export function didWebUrl(did) {
  const parts = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const host = parts.shift();
  const pathPart = parts.length ? parts.join('/') : '.well-known';
  return `https://${host}/${pathPart}/did.json`;
}

export function parseArgs(argv, usage) {
  const options = {
    site: null, contexts: null, baseUrl: null, credentials: null, didDocuments: new Map()
  };
  for(let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if(arg === '--did-document') {
      // DID=FILE: the DID document a did:web of another domain resolves to, as vendored
      const value = i + 1 < argv.length ? argv[++i] : '';
      const at = value.indexOf('=');
      if(!value.startsWith('did:web:') || at < 0) {
        usage('--did-document needs DID=FILE: a did:web and the document its domain publishes');
      }
      options.didDocuments.set(value.slice(0, at), path.resolve(value.slice(at + 1)));
    } else if(arg === '--contexts' || arg === '--base-url') {
      if(i + 1 >= argv.length) {
        usage(`${arg} needs a value`);
      }
      options[arg === '--contexts' ? 'contexts' : 'baseUrl'] = argv[++i];
    } else if(arg === '--credential') {
      options.credentials = options.credentials || [];
      while(i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
        options.credentials.push(path.resolve(argv[++i]));
      }
      if(options.credentials.length === 0) {
        usage('--credential needs at least one file');
      }
    } else if(arg.startsWith('--')) {
      usage(`unknown option ${arg}`);
    } else if(options.site === null) {
      options.site = path.resolve(arg);
    } else {
      usage(`unexpected argument ${arg}`);
    }
  }
  if(options.site === null) {
    usage('missing SITE');
  }
  return options;
}
