import { chromium } from 'playwright-core';
const [url, w, h, expr] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
await page.goto(url, { waitUntil: 'load' });
console.log(JSON.stringify(await page.evaluate(expr), null, 1));
await browser.close();
