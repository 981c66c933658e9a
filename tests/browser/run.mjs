// Drive Debian's Chromium over a served site and print what was observed, as JSON.
//
//   node run.mjs BASE_URL CHECKS.json
//
// CHECKS.json is a list of {name, path, steps: [...]}; each check gets a fresh page. A step
// is {do: ACTION, ...}; steps that observe something add {do, ..., value} to the check's
// `results`. Actions: fill {selector, value}, type {selector, value} (key by key),
// click {selector}, press {key}, media {media}, waitAttribute {selector, name, values}
// (until the attribute takes one of the values), waitImage {selector} (until the first
// match's image has loaded, or failed to), attribute {selector, name}, display
// {selector} (computed style, null when absent), style {selector, name} (one computed style
// property of the first match, null when absent), visible {selector}, clipboard, pdf {file?}
// (the page printed to an A4 PDF: its page count; with `file`, the PDF is also written there), axe (violations), tabOrder {max} (the elements Tab focuses from the top of
// the page), mark (once the network is idle, requests are also listed in `requestsAfterMark`),
// count {selector} (how many elements match), property {selector, name} (a DOM property of
// the first match, such as an image's currentSrc), requests {pattern} (the URLs requested so far
// that match the regular expression, aborted ones included), waitRequest {pattern} (until
// one such request was made), settle (until the page's CSS transitions and animations end),
// screenshot {file, fullPage, selector} (a PNG written to file: of the first match of
// selector, else the first screen, or the whole page; value: the path), box {selector}
// (the first match's top, bottom, left and right in CSS pixels from the document's top left,
// null when absent), boxes {selector} (the same for every match, with its scrollWidth and
// clientWidth, and its text), overflow (the document's scrollWidth, the window's innerWidth and
// innerHeight, and the elements that reach past the window's right edge outside a box that
// scrolls them), texts {selector} (the text of every match), select {selector, value} (an
// option chosen), url (the page's address now), waitUrl {pattern} (until the address matches).
//
// A check may carry `viewport`: {width, height}, set before the page is opened.
// A check may carry `tab`: a name; the checks of one tab run in it one after the other, each
// loading its page anew there, rather than each in a new tab (a new tab costs Chromium a
// renderer process: a third of the CPU of a check that only loads a page and reads it). For
// checks that change nothing but their own document (no media, permission or clipboard), each
// with its viewport (or all of them with the default one).
// A check may carry `context`: Playwright context options (e.g. {javaScriptEnabled: false});
// it then runs in a separate context made with them, in its own fresh profile.
//
// No network: Chromium resolves no host name but 127.0.0.1, so every request to another host
// fails; each is listed in `blocked`. Only the pytest file asserts; this script reports.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';  // Debian's, never one a test tool downloads
const AXE_SOURCE = readFileSync(
  fileURLToPath(new URL('./node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');
const STEP_TIMEOUT_MS = 10_000;

const [base, checksFile] = process.argv.slice(2);
if (!base || !checksFile) {
  console.error('usage: node run.mjs BASE_URL CHECKS.json');
  process.exit(2);
}
const checks = JSON.parse(readFileSync(checksFile, 'utf8'));
const origin = new URL(base).origin;

function describeFocus() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return { tag: el.tagName.toLowerCase(), id: el.id || null, className: el.className || null,
           text: (el.textContent || el.value || '').trim().slice(0, 80) };
}

function countPdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

const actions = {
  fill: (page, s) => page.fill(s.selector, s.value),
  type: (page, s) => page.locator(s.selector).pressSequentially(s.value),
  click: (page, s) => page.click(s.selector),
  press: (page, s) => page.keyboard.press(s.key),
  media: (page, s) => page.emulateMedia({ media: s.media }),
  waitAttribute: async (page, s) => {
    await page.waitForFunction(([sel, name, values]) =>
      values.includes(document.querySelector(sel)?.getAttribute(name)), [s.selector, s.name, s.values]);
  },
  waitImage: async (page, s) => {
    await page.waitForFunction((sel) => document.querySelector(sel)?.complete === true, s.selector);
  },
  attribute: (page, s) => page.getAttribute(s.selector, s.name),
  display: (page, s) => page.evaluate((sel) => {
    const el = document.querySelector(sel);
    return el ? getComputedStyle(el).display : null;
  }, s.selector),
  style: (page, s) => page.evaluate(([sel, name]) => {
    const el = document.querySelector(sel);
    return el ? getComputedStyle(el)[name] : null;
  }, [s.selector, s.name]),
  visible: (page, s) => page.isVisible(s.selector),
  clipboard: (page) => page.evaluate(() => navigator.clipboard.readText()),
  pdf: async (page, s) => {
    const pdf = await page.pdf({ format: 'A4' });
    if (s.file) writeFileSync(s.file, pdf);
    return countPdfPages(pdf);
  },
  axe: async (page) => {
    // Evaluated in the page rather than added as a <script> element: the page audited is the
    // page as served, not with 560 KB of axe's text in its DOM (which axe then walked too, a
    // quarter of its time).
    await page.evaluate(AXE_SOURCE);
    // Every rule runs and every violation is listed with all its elements; only the other
    // kinds of results (passes, incomplete, inapplicable), which nothing reads, are left
    // undetailed (a third of axe's time on the example's pages).
    const found = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    return found.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  },
  count: (page, s) => page.locator(s.selector).count(),
  screenshot: async (page, s) => {
    if (s.selector) await page.locator(s.selector).first().screenshot({ path: s.file });
    else await page.screenshot({ path: s.file, fullPage: Boolean(s.fullPage), animations: 'disabled' });
    return s.file;
  },
  box: (page, s) => page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left + scrollX,
             right: r.right + scrollX };
  }, s.selector),
  boxes: (page, s) => page.evaluate((sel) => [...document.querySelectorAll(sel)].map((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left + scrollX,
             right: r.right + scrollX, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
             text: (el.innerText || '').trim().slice(0, 80) };
  }), s.selector),
  overflow: (page) => page.evaluate(() => {
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      // an element inside a box that scrolls it may be wider than the window: not an overflow
      if (r.right <= innerWidth + 0.5 || r.width === 0) continue;
      let clipped = false;
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(up).overflowX)) {
          clipped = up.getBoundingClientRect().right <= innerWidth + 0.5;
          if (clipped) break;
        }
      }
      if (!clipped) {
        wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
          + `${typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`
          + ` right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, innerHeight,
             wide: wide.slice(0, 20) };
  }),
  property: (page, s) => page.locator(s.selector).first().evaluate((el, name) => el[name], s.name),
  texts: (page, s) => page.locator(s.selector).allTextContents(),
  select: (page, s) => page.selectOption(s.selector, s.value).then(() => undefined),
  url: (page) => page.url(),
  waitUrl: (page, s) => page.waitForURL(new RegExp(s.pattern)),
  requests: (page, s, report) => report.requests.filter((url) => new RegExp(s.pattern).test(url)),
  waitRequest: async (page, s, report) => {
    const pattern = new RegExp(s.pattern);
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (!report.requests.some((url) => pattern.test(url))) {
      if (Date.now() > deadline) throw new Error(`no request matched ${s.pattern}`);
      await page.waitForTimeout(50);
    }
  },
  settle: (page) => page.evaluate(async () => {
    await Promise.all(document.getAnimations().map((animation) => animation.finished));
  }),
  tabOrder: async (page, s) => {
    await page.evaluate(() => document.activeElement?.blur());
    const order = [];
    for (let i = 0; i < (s.max || 50); i += 1) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(describeFocus);
      if (!focused) break;  // focus left the document: the whole page was walked
      order.push(focused);
    }
    return order;
  },
};

const tabs = new Map();  // `tab` name -> the page its checks run in

async function runCheck(context, check) {
  let page = check.tab === undefined ? null : tabs.get(check.tab);
  if (page) {
    page.removeAllListeners('request');
    page.removeAllListeners('pageerror');
  } else {
    page = await context.newPage();
    if (check.tab !== undefined) tabs.set(check.tab, page);
  }
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  if (check.viewport) await page.setViewportSize(check.viewport);
  const report = { name: check.name, path: check.path, status: null, results: [],
                   requests: [], requestsAfterMark: null, errors: [] };
  page.on('request', (request) => {
    report.requests.push(request.url());
    report.requestsAfterMark?.push(request.url());
  });
  page.on('pageerror', (error) => report.errors.push(String(error)));
  try {
    const response = await page.goto(new URL(check.path, base).href, { waitUntil: 'load' });
    report.status = response?.status() ?? null;
    for (const step of check.steps || []) {
      if (step.do === 'mark') {
        // The favicon is fetched by the browser after 'load', at its own pace (seen after
        // 'networkidle' on a busy machine): wait for it, briefly, if the page names one.
        const icon = await page.evaluate(() => document.querySelector('link[rel~="icon"]')?.href ?? null);
        if (icon && !report.requests.includes(icon)) {
          await page.waitForRequest(icon, { timeout: 3000 }).catch(() => {});
        }
        await page.waitForLoadState('networkidle');
        report.requestsAfterMark = [];
        continue;
      }
      const action = actions[step.do];
      if (!action) throw new Error(`unknown action ${step.do}`);
      const value = await action(page, step, report);
      if (value !== undefined) report.results.push({ ...step, value });
    }
  } catch (error) {
    report.errors.push(String(error).replace(/\x1b\[[0-9;]*m/g, ''));  // no terminal colours
  } finally {
    if (check.tab === undefined) await page.close();
  }
  return report;
}

const blocked = [];
const contexts = new Map();  // JSON of the check's context options -> {context, profile}

async function contextFor(options = {}) {
  const key = JSON.stringify(options);
  if (contexts.has(key)) return contexts.get(key).context;
  const profile = mkdtempSync(join(tmpdir(), 'open-badges-chromium-'));
  // A persistent context is the way to give Chromium our own, fresh --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    ...options,
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  }).catch((error) => {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  });
  contexts.set(key, { context, profile });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  // Seen, not intercepted: Chromium resolves no host name but 127.0.0.1's (the
  // --host-resolver-rules above), so a request to any other host fails on its own. Routing
  // every request through this script instead cost a tenth of the tests' browser time.
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (['http:', 'https:', 'ws:', 'wss:', 'ftp:'].includes(url.protocol)
        && url.hostname !== '127.0.0.1') blocked.push(request.url());
  });
  return context;
}

try {
  const reports = [];
  for (const check of checks) reports.push(await runCheck(await contextFor(check.context), check));
  console.log(JSON.stringify({ blocked, reports }, null, 1));
} finally {
  for (const { context, profile } of contexts.values()) {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
