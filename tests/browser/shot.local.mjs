// local helper (not committed): node shot.local.mjs URL OUT.png WIDTH HEIGHT [full|print|pdf|top] [CLICK-SELECTOR]
import { chromium } from 'playwright-core';
const [url, out, w, h, mode, click] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
await page.goto(url, { waitUntil: 'load' });
if (click) { await page.click(click); }
if (mode === 'print') { await page.emulateMedia({ media: 'print' }); }
if (mode === 'pdf') { await page.pdf({ path: out, format: 'A4' }); }
else await page.screenshot({ path: out, fullPage: mode === 'full' || mode === 'print' });
await browser.close();
