// Open pages in Debian's Chromium, do everything that could run a script they carry, and print
// what ran, as JSON.
//
//   node xss.mjs PAGES.json HARNESS_URL [HARNESS_URL...]
//
// PAGES.json is a list of paths; each HARNESS_URL an empty HTML page of a server on the
// loopback that serves them all. One tab per harness (each host its own site, hence its own
// renderer process) takes its share of the paths and opens each page in a same-origin frame
// of its own, several at a time (a tab per page would cost ten times as much), runs
// `provoke` inside it once it has loaded (scripts, styles and images included), then
// removes it.
//
// Every payload of the corpus (tests/xss_corpus.py) calls xss(N), N its number. An init
// script, run in every frame before the page's own scripts, defines xss, alert, confirm and
// prompt to record each call: in the frame, and in the harness, directly when the frame is of
// its origin, else by a message to it (as from a data: URL's document), which the harness
// tells apart by the frame the message came from. Inside each loaded page, provoke:
//   - dispatches pointer, mouse, focus, keyboard and animation events to every element that
//     has a handler attribute and to every link, button and form field, toggles every
//     <details>, shows the map and opens each structure's popup;
//   - clicks every link (HTML or SVG) whose URL, read as the browser reads it, is not
//     http(s), mailto, about:blank or in the page (a javascript: URL runs on click), and
//     submits every form but the theme's own (the award page's, the header's search box);
//   - lists what a payload would need to run, found or not: event-handler attributes,
//     scripts that are not the site's static/ files, frames, objects, embeds, <base>,
//     <meta http-equiv>, other forms, and URL-valued attributes with another scheme.
// A page's report: {url, status, calls: [{what, value, url}], loads (load events of its
// frame: more than one is a navigation), shown (the N of every xss(N) its markup holds, run
// or not), live (the list above), errors (of the harness: a page that did not load)}. An
// uncaught exception in a page is a call of `uncaught`. For the whole run: the dialogs and
// pop-ups the tabs saw, the harness tabs a page took elsewhere (`moved`), and the requests to
// another host. Only the pytest file asserts.
//
// No network: Chromium resolves no host name but the harnesses', so nothing leaves the machine,
// and a request to another host fails: the failed requests are those listed, from every
// document of the harness tabs, frames of another process and workers included.
//
// Chromium is driven over the DevTools protocol directly, on a pipe, with only what this needs:
// a script before every document's own, the dialogs, the tabs opened, the failed requests.
// Through Playwright, which follows every frame's life for its own API, the corpus cost
// Chromium and Node a seventh more CPU (a quarter of the tests' run is this corpus).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHROMIUM = '/usr/bin/chromium';  // Debian's, never one a test tool downloads
const PARALLEL = 16;  // frames loading at once (the time goes in waiting, not computing)
const BATCH = 60;  // pages per evaluate call
const SETTLE_MS = 40;  // after the events: toggle, load and error events are asynchronous
const LOAD_TIMEOUT_MS = 15_000;
const BATCH_TIMEOUT_MS = 120_000;  // a page that hangs the harness fails the run, with its batch

const [pagesFile, ...harnesses] = process.argv.slice(2);
if (!pagesFile || harnesses.length === 0) {
  console.error('usage: node xss.mjs PAGES.json HARNESS_URL [HARNESS_URL...]');
  process.exit(2);
}
const paths = JSON.parse(readFileSync(pagesFile, 'utf8'));
const hosts = harnesses.map((harness) => new URL(harness).hostname);
if (!hosts.every((host) => /^127\.\d+\.\d+\.\d+$/.test(host))) {
  console.error('the harnesses must be served on the loopback (127.x.y.z)');
  process.exit(2);
}

// Runs in every frame before anything else; it is serialised, so it uses nothing outside.
function instrument() {
  const seen = [];
  Object.defineProperty(window, '__xssSeen', { value: seen });
  const record = (what, value) => {
    const call = { what, value: String(value), url: String(location.href) };
    seen.push(call);
    try {
      let page = window;  // the harness's frame this document is in, at any depth
      while (page.parent !== page.top) page = page.parent;
      window.top.__xssHarness.record(call, page);
    } catch (error) {  // a frame of another origin than the harness's
      try { window.top.postMessage({ xssCall: call }, '*'); } catch (alsoError) { /* none */ }
    }
  };
  window.xss = (n) => record('xss', n);
  window.alert = (message) => record('alert', message);
  window.confirm = (message) => { record('confirm', message); return false; };
  window.prompt = (message) => { record('prompt', message); return null; };
  window.print = () => {};  // the certificate's and the poster's own print buttons
  window.addEventListener('error', (event) => record('uncaught', event.message));
  window.addEventListener('unhandledrejection', (event) => record('uncaught', event.reason));
}

// Runs inside a loaded page (evaluated in its frame's realm): what could make a payload run,
// then every event fired and every script link clicked. Synchronous: a timer of the page's
// would never fire if a payload took the frame to another document.
function provoke() {
  const live = [];
  // The theme's own forms: the award page's "is this badge mine?" and the header's search
  // box, a GET form inside the site's header whose action is the site's catalogue.
  const ownForm = (form) => form.id === 'is-it-mine'
    || (form.matches('header.site-header > .header-row > form[role=search]')
        && form.method === 'get' && new URL(form.action).origin === location.origin
        && /\/badges\/$/.test(new URL(form.action).pathname));
  const note = (kind, element, detail) => live.push({
    kind, tag: element.tagName.toLowerCase(), detail: String(detail).slice(0, 300),
  });
  const here = location.href.split('#')[0];
  const harmless = (value) => {
    let url;
    try { url = new URL(value, document.baseURI); } catch (error) { return true; }
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) || url.href === 'about:blank';
  };
  const stylesheet = document.querySelector('link[rel=stylesheet][href$="/static/style.css"]');
  const ownScripts = stylesheet ? new URL('.', stylesheet.href).href : null;
  const URL_ATTRIBUTES = new Set(['href', 'xlink:href', 'src', 'action', 'formaction', 'data',
    'poster', 'background', 'srcdoc', 'codebase', 'dynsrc', 'lowsrc', 'srcset', 'ping']);
  const all = Array.from(document.querySelectorAll('*'));
  for (const element of all) {
    const tag = element.tagName.toLowerCase();
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) note('handler', element, `${name}=${attribute.value}`);
      else if (URL_ATTRIBUTES.has(name) && !harmless(attribute.value)
               && !(tag === 'img' && name === 'src' && /^data:image\/(png|gif|jpeg|webp);/i.test(attribute.value))) {
        note('url', element, `${name}=${attribute.value}`);
      }
    }
    if (tag === 'script' && !(ownScripts && element.src && element.src.startsWith(ownScripts))) {
      note('script', element, element.src || element.textContent);
    }
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal',
         'template', 'math'].includes(tag)
        || (tag === 'meta' && element.hasAttribute('http-equiv'))
        || (tag === 'form' && !ownForm(element))
        || (tag === 'style' && element.parentElement !== document.head)) {
      note('element', element, element.outerHTML);
    }
  }
  if (document.baseURI !== here) live.push({ kind: 'base', tag: 'base', detail: document.baseURI });

  const mouse = ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousemove',
                 'pointerdown', 'mousedown', 'mouseup', 'pointerup', 'mouseout', 'mouseleave',
                 'dblclick', 'contextmenu', 'wheel'];
  // Every element a handler could be on (found above, then it has failed already: this shows
  // whether it runs), and what a visitor points at, focuses or types in.
  const hasHandler = (element) => Array.from(element.attributes)
    .some((attribute) => attribute.name.toLowerCase().startsWith('on'));
  const targets = all.filter((element) => hasHandler(element)
    || element.matches('a, area, button, input, select, textarea, summary, details'));
  for (const element of targets) {
    for (const type of mouse) element.dispatchEvent(new MouseEvent(type, { bubbles: true }));
    for (const type of ['focus', 'blur']) element.dispatchEvent(new FocusEvent(type));
    for (const type of ['focusin', 'focusout']) element.dispatchEvent(new FocusEvent(type, { bubbles: true }));
    for (const type of ['animationstart', 'animationend', 'transitionend', 'input', 'change',
                        'keydown', 'keyup', 'copy', 'paste', 'scroll', 'select']) {
      element.dispatchEvent(new Event(type, { bubbles: true }));
    }
    if (element.tagName === 'DETAILS') element.open = !element.open;
  }
  const showMap = document.getElementById('show-map');
  if (showMap && !showMap.hidden) {
    showMap.click();
    for (const marker of document.querySelectorAll('.leaflet-marker-icon')) marker.click();
  }
  for (const link of document.querySelectorAll('a, area')) {
    const href = link.getAttribute('href') ?? link.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
    if (href !== null && !harmless(href)) {
      link.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    }
  }
  for (const form of document.querySelectorAll('form')) {
    if (ownForm(form)) continue;
    try {
      form.requestSubmit();
    } catch (error) {
      live.push({ kind: 'submit', tag: 'form', detail: String(error) });
    }
  }
  return live;
}

// Runs in the harness tab: open each URL in a frame, PARALLEL at a time; their reports.
async function visitAll({ urls, parallel, settleMs, loadTimeoutMs, provokeSource }) {
  const reports = urls.map((url) => ({
    url, status: null, calls: [], loads: 0, shown: [], live: [], errors: [],
  }));
  const byFrame = new Map();
  window.__xssHarness = {
    record(call, page) {
      for (const [frame, report] of byFrame) {
        if (page && frame.contentWindow === page) { report.calls.push(call); return; }
      }
      window.__xssStray = [...(window.__xssStray || []), { ...call, page: call.url }];
    },
  };
  // A call from a document of another origin, posted to the harness: up from the window it
  // came from (whose parents may be read across origins) to the harness's frame it is in.
  window.addEventListener('message', (event) => {
    const call = event.data && event.data.xssCall;
    if (!call) return;
    let page = event.source;
    while (page && page.parent !== window && page.parent !== page) page = page.parent;
    window.__xssHarness.record({
      what: String(call.what), value: String(call.value), url: String(call.url),
    }, page && page.parent === window ? page : null);
  });
  async function visit(index) {
    const report = reports[index];
    const frame = document.createElement('iframe');
    frame.style.cssText = 'width:1280px;height:800px;border:0';
    let loaded;
    const firstLoad = new Promise((resolve) => { loaded = resolve; });
    frame.addEventListener('load', () => { report.loads += 1; loaded(); });
    byFrame.set(frame, report);
    frame.src = report.url;
    document.body.append(frame);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), loadTimeoutMs));
    if (await Promise.race([firstLoad, timeout]) === 'timeout') report.errors.push('load timed out');
    try {
      const win = frame.contentWindow;
      const entry = win.performance.getEntriesByType('navigation')[0];
      report.status = entry ? entry.responseStatus : null;
      const type = win.document.contentType;
      // The markers the document holds, as text or in attributes (shown, not run).
      const markup = win.document.documentElement?.outerHTML || '';
      const markers = Array.from(markup.matchAll(/ss(?:\(|%28)(\d{3,})/g), (m) => Number(m[1]));
      report.shown = [...new Set(markers)];
      if (type === 'text/html') report.live = win.eval(`(${provokeSource})`)();
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const same = (a, b) => a.what === b.what && a.value === b.value && a.url === b.url;
      for (const call of win.__xssSeen || []) {
        if (!report.calls.some((known) => same(known, call))) report.calls.push(call);
      }
    } catch (error) {
      report.errors.push(String(error && error.stack || error));
    }
    byFrame.delete(frame);
    frame.remove();
  }
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < urls.length) await visit(next++);
  }));
  return reports;
}

// The DevTools protocol over a pipe (Chromium's --remote-debugging-pipe: JSON messages ended by
// NUL, on file descriptors 3 and 4): commands with their answers, and events by session.
class Protocol {
  constructor(child) {
    this.sent = child.stdio[3];
    this.sent.on('error', (error) => this.closed(error));  // Chromium gone: every answer fails
    this.next = 0;
    this.waiting = new Map();
    this.handlers = [];
    let buffer = '';
    child.stdio[4].on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
        const message = JSON.parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
        const answer = message.id !== undefined && this.waiting.get(message.id);
        if (answer) {
          this.waiting.delete(message.id);
          if (message.error) answer.reject(new Error(`${answer.method}: ${message.error.message}`));
          else answer.resolve(message.result);
        } else if (message.method) {
          for (const handler of this.handlers) handler(message);
        }
      }
    });
    child.on('exit', (code, signal) => this.closed(new Error(`Chromium ended (${signal ?? code})`)));
  }

  send(method, params = {}, sessionId = undefined) {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { method, resolve, reject });
      this.sent.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  }

  on(handler) { this.handlers.push(handler); }

  closed(error) {
    for (const answer of this.waiting.values()) answer.reject(error);
    this.waiting.clear();
  }
}

function timeLimit(promise, ms, message) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const profile = mkdtempSync(join(tmpdir(), 'open-badges-xss-'));
// Our own fresh profile, no sandbox (a container), no GPU, nothing fetched by Chromium itself;
// every pop-up a page opens let through (to be seen), no page kept aside for going back, no
// tab backgrounded (a throttled timer would slow the harness that waits on it), no limit on
// the protocol's messages: the settings a browser driven for tests runs with.
const browser = spawn(CHROMIUM, [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-popup-blocking', '--disable-back-forward-cache', '--disable-extensions',
  '--disable-default-apps', '--disable-breakpad', '--disable-hang-monitor',
  '--disable-prompt-on-repost', '--disable-field-trial-config', '--disable-ipc-flooding-protection',
  '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding', '--remote-debugging-pipe', `--user-data-dir=${profile}`,
  `--host-resolver-rules=MAP * ~NOTFOUND, ${hosts.map((host) => `EXCLUDE ${host}`).join(', ')}`,
  '--no-startup-window', '--window-size=1280,800',  // the harness tabs are the only tabs we open
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let browserErrors = '';
browser.stderr.on('data', (chunk) => { browserErrors = (browserErrors + chunk).slice(-2000); });
const cdp = new Protocol(browser);
try {
  const dialogs = [];
  const popups = new Map();  // target -> address
  const closeTarget = (targetId) => cdp.send('Target.closeTarget', { targetId }).catch(() => {});
  const elsewhere = new Set();
  const stray = [];
  const moved = [];  // harness tabs that a page took elsewhere
  const origins = harnesses.map((harness) => new URL(harness).origin);
  const instrumentSource = `(${instrument})()`;
  const harnessTargets = new Set();
  const requested = new Map();  // `${sessionId} ${requestId}` -> URL

  // Every document of a harness tab, frames of another process (and their workers) included,
  // is instrumented before its own scripts run, and its requests are heard of, through a
  // session attached to it, paused until then.
  async function instrumentTarget(sessionId, type) {
    const steps = [cdp.send('Network.enable', {}, sessionId)];
    if (type === 'page' || type === 'iframe') {
      steps.push(cdp.send('Page.enable', {}, sessionId),
        cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: instrumentSource }, sessionId),
        cdp.send('Target.setAutoAttach',
          { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, sessionId));
    }
    await Promise.all(steps);
  }
  cdp.on((message) => {
    const { method, params, sessionId } = message;
    if (method === 'Target.attachedToTarget') {
      const child = params.sessionId;
      const type = params.targetInfo.type;
      (type === 'iframe' || type.endsWith('worker') ? instrumentTarget(child, type) : Promise.resolve())
        .then(() => cdp.send('Runtime.runIfWaitingForDebugger', {}, child))
        .catch(() => {});  // a frame already gone
    } else if (method === 'Target.targetCreated' || method === 'Target.targetInfoChanged') {
      // Any other tab is a pop-up a page opened: noted with its address once it has one (it
      // may start without), and closed.
      const { targetId, type, url } = params.targetInfo;
      if (type !== 'page' || harnessTargets.has(targetId)) return;
      if (!popups.has(targetId)) {
        popups.set(targetId, url);
        setTimeout(() => closeTarget(targetId), 1000).unref();
      } else if (url) {
        popups.set(targetId, url);
      }
      if (url && url !== 'about:blank') closeTarget(targetId);
    } else if (method === 'Page.javascriptDialogOpening') {
      dialogs.push(`${params.type}: ${params.message}`);
      cdp.send('Page.handleJavaScriptDialog', { accept: false }, sessionId).catch(() => {});
    } else if (method === 'Network.requestWillBeSent') {
      requested.set(`${sessionId} ${params.requestId}`, params.request.url);
    } else if (method === 'Network.loadingFailed') {
      const url = requested.get(`${sessionId} ${params.requestId}`);
      if (url && /^https?:/.test(url) && !origins.some((origin) => url.startsWith(`${origin}/`))) {
        elsewhere.add(url);
      }
    }
  });

  const evaluate = async (sessionId, expression) => {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true }, sessionId);
    if (exceptionDetails) {
      throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    }
    return result.value;
  };

  // One tab per harness, each of its own site: Chromium gives each its own renderer process,
  // so that the pages of one do not wait for the other's.
  async function harnessTab(targetId, harness, share) {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    await instrumentTarget(sessionId, 'page');
    const navigation = await cdp.send('Page.navigate', { url: harness }, sessionId);
    if (navigation.errorText) throw new Error(`harness ${harness}: ${navigation.errorText}`);
    const loaded = `location.href === ${JSON.stringify(harness)} && document.readyState === 'complete'`;
    for (const deadline = Date.now() + 30_000; ;) {
      if (await evaluate(sessionId, loaded).catch(() => false)) break;  // (or between documents)
      if (Date.now() > deadline) throw new Error(`harness ${harness}: not loaded`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const status = await evaluate(sessionId,
      "performance.getEntriesByType('navigation')[0].responseStatus");
    if (status !== 200) throw new Error(`harness ${harness}: HTTP ${status}`);
    const reports = [];
    for (let start = 0; start < share.length; start += BATCH) {
      const batch = share.slice(start, start + BATCH).map((path) => new URL(path, harness).href);
      const options = {
        urls: batch, parallel: PARALLEL, settleMs: SETTLE_MS, loadTimeoutMs: LOAD_TIMEOUT_MS,
        provokeSource: provoke.toString(),
      };
      const visited = evaluate(sessionId, `(${visitAll})(${JSON.stringify(options)})`).catch((error) => {
        throw new Error(`${error.message}, while the harness visited: ${batch.join(' ')}`);
      });
      reports.push(...await timeLimit(
        visited, BATCH_TIMEOUT_MS, `these pages hung the harness: ${batch.join(' ')}`,
      ));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));  // the last messages
    stray.push(...await evaluate(sessionId, 'window.__xssStray || []'));
    const { targetInfo } = await cdp.send('Target.getTargetInfo', { targetId });
    if (targetInfo.url !== harness) moved.push(targetInfo.url);
    return reports;
  }

  await timeLimit(cdp.send('Target.getTargets'), 30_000, `Chromium did not start: ${browserErrors}`);
  const tabs = [];
  while (tabs.length < harnesses.length) {
    tabs.push((await cdp.send('Target.createTarget', { url: 'about:blank' })).targetId);
  }
  tabs.forEach((targetId) => harnessTargets.add(targetId));
  await cdp.send('Target.setDiscoverTargets', { discover: true });  // any other tab: a pop-up
  const shares = harnesses.map((_, index) => paths.filter((__, i) => i % harnesses.length === index));
  const reports = (await Promise.all(
    harnesses.map((harness, index) => harnessTab(tabs[index], harness, shares[index])),
  )).flat();
  console.log(JSON.stringify({
    reports, stray, dialogs, popups: [...popups.values()], elsewhere: [...elsewhere], moved,
  }));
} finally {
  await timeLimit(cdp.send('Browser.close'), 5_000, 'no answer').catch(() => browser.kill());
  await new Promise((resolve) => (browser.exitCode !== null ? resolve() : browser.on('exit', resolve)));
  rmSync(profile, { recursive: true, force: true });
}
