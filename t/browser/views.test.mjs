// The Link Share page as a recipient uses it: card and list views (the
// choice remembered), thumbnails, selection by click and keyboard, Queue
// Download only with a selection, a small download that starts by itself
// and whose ZIP holds the selection, progress with a time-left estimate
// and Cancel on a large one, 5,000 items in pages, and a phone-width page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ASSET_ROOT, BASE, ctx, useBrowser, browserTest, createShare, assertNoProblems,
  screenshot, listedNames, rowOf, assertAccessible,
} from './lib/harness.mjs';

useBrowser();

let share;
const made = [];
process.on('exit', () => made.forEach((f) => fs.rmSync(f, { recursive: true, force: true })));

browserTest('cards by default with thumbnails; the list view is remembered', async () => {
  share = await createShare(['press kit', 'photos/2026/cat.jpg', 'readme.txt']);
  const page = ctx.page;
  await page.goto(share.url);
  assert.equal(await page.locator('main ul.cards .card').count(), 3, 'three cards');
  const thumb = page.locator('.card img').first();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumb.elementHandle());
  assert.equal(await rowOf('readme.txt').locator('.icon').innerText(), 'TXT', 'a type icon without a thumbnail');
  assert.match(await rowOf('press kit').innerText(), /Folder/);
  await screenshot('08-cards');
  assertNoProblems();

  await page.getByRole('navigation', { name: 'View' }).getByRole('link', { name: 'List' }).click();
  await page.locator('main table.items').waitFor();
  await page.getByRole('link', { name: 'press kit', exact: true }).click();
  await page.waitForURL(/path=press/);
  assert.equal(await page.locator('main table.items').count(), 1, 'the list view is kept in a folder');
  await page.goto(share.url);
  assert.equal(await page.locator('main table.items').count(), 1, 'and when the link is opened again');
  await screenshot('09-list');
  await page.getByRole('navigation', { name: 'View' }).getByRole('link', { name: 'Cards' }).click();
  await page.locator('main ul.cards').waitFor();
  assertNoProblems();
});

browserTest('Queue Download appears with a selection, chosen by click or keyboard', async () => {
  const page = ctx.page;
  await page.goto(`${share.url}&view=list`);
  const queue = page.getByRole('button', { name: 'Queue Download' });
  assert.equal(await queue.isVisible(), false, 'no selection: no Queue Download');
  // A click on the row (not on its links) selects it.
  await rowOf('readme.txt').locator('td').nth(2).click();
  assert.ok(await rowOf('readme.txt').locator('input').isChecked(), 'the row click selected it');
  await queue.waitFor({ state: 'visible' });
  assert.match(await page.locator('#ls-count').innerText(), /^1 item selected, 39 bytes\.$/);
  // Keyboard: Tab reaches the next row's checkbox, Space selects it.
  await rowOf('readme.txt').locator('input').focus();
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Shift+Tab');
    if (await page.evaluate(() => document.activeElement.type === 'checkbox' && document.activeElement.name === 'path')) break;
  }
  await page.keyboard.press('Space');
  const checked = await page.$$eval('input[name=path]:checked', (bs) => bs.map((b) => b.value));
  assert.equal(checked.length, 2, `two selected by click and keyboard: ${checked}`);
  await page.getByLabel('Select all').check();
  // The folder's size is known (ls_tally): it counts in the sum.
  assert.match(await page.locator('#ls-count').innerText(), /^3 items selected, [\d.]+ KB\.$/);
  await page.getByLabel('Select all').uncheck();
  assert.equal(await queue.isVisible(), false, 'nothing selected again');
  assertNoProblems();
});

browserTest('a small download starts by itself, and its ZIP holds the selection', async () => {
  const page = ctx.page;
  await page.goto(share.url);
  await rowOf('readme.txt').getByRole('checkbox').check();
  await rowOf('cat.jpg').getByRole('checkbox').check();
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 20_000 }),
    page.getByRole('button', { name: 'Queue Download' }).click(),
  ]);
  assert.match(dl.suggestedFilename(), /-part1-of-1\.zip$/);
  const file = await dl.path();
  const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(names, ['cat.jpg', 'readme.txt']);
  const readme = execFileSync('unzip', ['-p', file, 'readme.txt']);
  assert.ok(readme.equals(fs.readFileSync(path.join(ASSET_ROOT, 'readme.txt'))), 'readme.txt intact');
  await page.locator('#ls-count', { hasText: 'Your download has started.' }).waitFor();
  await screenshot('10-auto-started');
  assertNoProblems();
});

browserTest('a large download shows progress and time left, and Cancel stops it', async () => {
  const big = path.join(ASSET_ROOT, 'browser-big.bin');
  made.push(big);
  fs.closeSync(fs.openSync(big, 'w'));
  fs.truncateSync(big, 2_500 * 1024 * 1024); // sparse: slow to pack, no disk
  const s = await createShare(['browser-big.bin', 'readme.txt']);
  const page = ctx.page;
  await page.goto(`${s.url}&view=list`);
  await rowOf('browser-big.bin').getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Queue Download' }).click();
  // The inbox is a panel the header's control opens.
  await page.locator('#ls-inbox-open').click();
  const job = page.locator('#ls-inbox li.job.running');
  await job.waitFor({ timeout: 20_000 });
  await job.locator('.left').waitFor({ timeout: 20_000 });
  assert.match(await job.locator('.left').innerText(), /^about \d+ (s|min) left$/);
  const value = await job.locator('progress').evaluate((p) => p.value);
  assert.ok(value > 0, `the progress bar moved (${value})`);
  await screenshot('11-progress');
  await job.getByRole('button', { name: 'Cancel' }).click();
  // Cancelled without leaving the page; the inbox says so.
  await page.locator('#ls-inbox li.job.cancelled').first().waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('#ls-inbox li.job.running').count(), 0, 'nothing running');
  assertNoProblems();
}, { timeout: 60_000 });

browserTest('a folder of 5,000 items is shown in pages', async () => {
  const many = path.join(ASSET_ROOT, 'browser-many');
  made.push(many);
  fs.mkdirSync(many, { recursive: true });
  for (let i = 1; i <= 5000; i++) {
    fs.writeFileSync(path.join(many, `item ${String(i).padStart(4, '0')}.txt`), `${i}\n`);
  }
  const s = await createShare(['browser-many']);
  const page = ctx.page;
  const t0 = Date.now();
  await page.goto(`${s.url}&path=browser-many`);
  const names = await listedNames();
  assert.equal(names.length, 100, 'one page of 100 cards');
  assert.equal(names[0], 'item 0001.txt');
  const pages = page.getByRole('navigation', { name: 'Pages' }).first();
  assert.match(await pages.innerText(), /Page 1 of 50/);
  await pages.getByRole('link', { name: /Next/ }).click();
  await page.waitForURL(/page=2/);
  assert.equal((await listedNames())[0], 'item 0101.txt', 'page 2 starts at 101');
  await page.getByLabel('Select all on this page').check();
  assert.match(await page.locator('#ls-count').innerText(), /^100 items selected/);
  await screenshot('12-paged');
  assert.ok(Date.now() - t0 < 20_000, 'pages open in reasonable time');
  assertNoProblems();
});

browserTest('at phone width the page fits the screen, very long names too', async () => {
  const page = ctx.page;
  // 200 characters without a space, and quotes and non-ASCII letters.
  const long = `${'Überlange_Dateibezeichnung_'.repeat(7)}"quoted"-${'x'.repeat(200 - 7 * 27 - 10)}.txt`;
  const file = path.join(ASSET_ROOT, long);
  made.push(file);
  fs.writeFileSync(file, 'long\n');
  const s = await createShare(['press kit', 'photos/2026/cat.jpg', long]);
  await page.setViewportSize({ width: 375, height: 740 });
  try {
    for (const view of ['card', 'list']) {
      await page.goto(`${s.url}&view=${view}`);
      assert.ok((await listedNames()).includes(long), `${view}: the long name shown whole`);
      const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth,
        document.documentElement.clientWidth]);
      assert.ok(sw <= cw, `${view}: no sideways scrolling (${sw} > ${cw})`);
      await screenshot(`13-phone-${view}`);
    }
    await page.goto(`${share.url}&path=${encodeURIComponent('press kit/brochure.pdf')}`);
    await screenshot('14-phone-preview');
    await page.goto(`${s.url}&path=${encodeURIComponent(long)}`);
    assert.equal(await page.locator('h1').innerText(), long, 'the preview names it whole');
    const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth,
      document.documentElement.clientWidth]);
    assert.ok(sw <= cw, `preview of a long name: no sideways scrolling (${sw} > ${cw})`);
  } finally {
    await page.setViewportSize({ width: 1024, height: 720 });
  }
  assertNoProblems();
});

browserTest('every main screen passes the WCAG 2 AA checks of axe-core, light and dark', async () => {
  const page = ctx.page;
  const screens = [
    ['cards', `${share.url}&view=card`],
    ['list', `${share.url}&view=list`],
    ['folder', `${share.url}&path=${encodeURIComponent('press kit')}`],
    ['image preview', `${share.url.replace('linkshare.html', 'linksharepreview.html')}&path=cat.jpg`],
    ['PDF preview', `${share.url.replace('linkshare.html', 'linksharepreview.html')}&path=${encodeURIComponent('press kit/brochure.pdf')}`],
    ['text preview', `${share.url.replace('linkshare.html', 'linksharepreview.html')}&path=readme.txt`],
    ['expired', `${BASE}/linkexpired.html`],
  ];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [what, url] of screens) {
      await page.goto(url);
      await assertAccessible(`${what}, ${scheme}`);
    }
    // With a job in the inbox (progress, parts, Cancel forms).
    await page.goto(`${share.url}&view=list`);
    await assertAccessible(`list with inbox, ${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  assertNoProblems();
});
