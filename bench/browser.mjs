// The browser half of bench/browser.sh: for each pair of share URLs (one
// line each in LS_BENCH_URLS), a new page checks every file, clicks Queue
// Download and waits for the download: once as the page is (progress
// pushed by op=events) and once with window.EventSource removed (the page
// polls op=inbox each second). Writes {"events": [ms...], "poll": [ms...],
// "browser": "..."} to LS_BENCH_OUT.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 't', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const urls = fs.readFileSync(process.env.LS_BENCH_URLS, 'utf8').split('\n').filter(Boolean);
const out = { events: [], poll: [] };
const browser = await chromium.launch({
  executablePath: process.env.LS_CHROMIUM || '/usr/bin/chromium', headless: true,
});
out.browser = `Chromium ${browser.version()} (headless)`;
const dl = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-bench-'));

async function round(url, mode) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  if (mode === 'poll') await page.addInitScript(() => { delete window.EventSource; });
  await page.goto(url);
  const boxes = page.locator('input[name=path]');
  for (let i = 0; i < await boxes.count(); i++) await boxes.nth(i).check();
  // The stream is open before the click, as on a page a recipient looks at.
  await page.waitForTimeout(300);
  const t0 = Date.now();
  let d;
  try {
    [d] = await Promise.all([
      page.waitForEvent('download', { timeout: 15_000 }),
      page.locator('#ls-queue').click(),
    ]);
  } catch (e) {
    const state = await page.evaluate(() => [document.getElementById('ls-count').textContent,
      document.getElementById('ls-inbox').innerText]);
    throw new Error(`${mode}: no download in 15 s: ${state.join(' | ')} ${errors.join('; ')}`);
  }
  const ms = Date.now() - t0;
  await d.saveAs(path.join(dl, `${mode}-${out[mode].length}.zip`));
  await context.close();
  return ms;
}

for (let i = 0; i + 1 < urls.length; i += 2) {
  // Alternate which goes first, so neither always runs on a warmer server.
  const order = (i / 2) % 2 ? ['poll', 'events'] : ['events', 'poll'];
  for (const [k, mode] of order.entries()) {
    const ms = await round(urls[i + k], mode);
    out[mode].push(ms);
    process.stdout.write(`${mode} ${ms} ms\n`);
  }
}
await browser.close();
fs.rmSync(dl, { recursive: true, force: true });
fs.writeFileSync(process.env.LS_BENCH_OUT, JSON.stringify(out));
