// Run Lighthouse on pages of a served site in Debian's Chromium; print what it found, as JSON.
//
//   CHROME_PATH=/usr/bin/chromium node audit.mjs PAGES.json REPORTS_FOLDER
//
// PAGES.json is a list of {name, url}. Each page is audited twice in one Chromium: as a phone
// (Lighthouse's default: a mid-range phone on a slow 4G network, simulated) and as a laptop
// (its desktop preset). Each full report is written to REPORTS_FOLDER/NAME-FORM.json (open it
// in https://googlechrome.github.io/lighthouse/viewer/ or read it); the printed list holds,
// for each run, the four categories' scores (0 to 1), every scored audit below 1, and the
// requests that went to another host than 127.0.0.1 (none may: Chromium resolves no other
// host name). benchmarks/lighthouse.py builds and serves the site, then runs this.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync',
               '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
const FORMS = [['mobile', undefined], ['desktop', desktopConfig]];

const [pagesFile, reportsFolder] = process.argv.slice(2);
const chromium = process.env.CHROME_PATH;
if (!pagesFile || !reportsFolder || !chromium) {
  // never a browser that a tool finds or downloads: the one CHROME_PATH names
  console.error('usage: CHROME_PATH=/usr/bin/chromium node audit.mjs PAGES.json REPORTS_FOLDER');
  process.exit(2);
}

function below(lhr) {
  // the audits that count in a category's score and did not pass, with what they measured
  const found = [];
  for (const category of CATEGORIES) {
    for (const ref of lhr.categories[category].auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        found.push({ category, id: ref.id, title: audit.title, score: audit.score,
                     value: audit.displayValue ?? null });
      }
    }
  }
  return found;
}

function outside(lhr) {
  const requests = lhr.audits['network-requests']?.details?.items ?? [];
  return requests.map((request) => request.url)
    .filter((url) => !/^(https?:\/\/127\.0\.0\.1[:/]|data:|blob:)/.test(url));
}

const pages = JSON.parse(readFileSync(pagesFile, 'utf8'));
const chrome = await chromeLauncher.launch({ chromePath: chromium, chromeFlags: FLAGS });
try {
  const runs = [];
  for (const page of pages) {
    for (const [form, config] of FORMS) {
      const flags = { port: chrome.port, output: 'json', logLevel: 'error',
                      onlyCategories: CATEGORIES };
      const { lhr, report } = await lighthouse(page.url, flags, config);
      writeFileSync(join(reportsFolder, `${page.name}-${form}.json`), report);
      runs.push({
        page: page.name, form, url: page.url,
        scores: Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c].score])),
        below: below(lhr), outside: outside(lhr), error: lhr.runtimeError?.message ?? null,
      });
    }
  }
  console.log(JSON.stringify(runs, null, 1));
} finally {
  await chrome.kill();
}
