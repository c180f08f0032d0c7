// The Download Inbox as a panel: the header's control with the count of
// jobs, opened and closed with the keyboard (Escape, focus returned), jobs
// that say what they hold and when, progress pushed by op=events (a small
// selection downloads by itself), Download all parts, SHA-256 behind a
// toggle, Cancel and Remove without reloading or losing the folder and the
// scroll, the link revoked while the page is open, axe-core with the panel
// open in light and dark at 1366x900 and 375x812, no sideways scrolling,
// and the screenshots docs/SCREENS.md lists (i01-i04).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ASSET_ROOT, ctx, useBrowser, browserTest, createShare, revokeShare,
  assertNoProblems, assertAccessible,
} from './lib/harness.mjs';

useBrowser({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });

const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 375, height: 812 };
const SHOTS = process.env.LS_SHOT_DIR || path.resolve('build/browser');
const made = [];
process.on('exit', () => made.forEach((f) => fs.rmSync(f, { recursive: true, force: true })));

// The viewport as the user sees it (the panel is fixed to it).
const shot = (name) => ctx.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

async function noSidewaysScroll(what) {
  const [sw, iw] = await ctx.page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
  assert.ok(sw <= iw, `${what}: no sideways scrolling (${sw} > ${iw})`);
}
const badge = () => ctx.page.locator('#ls-inbox-count');
const panelOpen = () => ctx.page.evaluate(() => document.getElementById('ls-inbox-panel').open);

let share;

browserTest('Queue Download of 2 files: the download starts by itself, the badge counts the job', async () => {
  const dir = path.join(ASSET_ROOT, `inbox-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  made.push(dir);
  for (let i = 1; i <= 30; i++) fs.writeFileSync(path.join(dir, `photo ${String(i).padStart(2, '0')}.txt`), `photo ${i}\n`);
  share = await createShare([path.basename(dir), 'press kit']);
  const page = ctx.page;
  await page.setViewportSize(WIDE);
  await page.goto(share.url);
  assert.equal(await badge().isHidden(), true, 'no jobs yet: no count');
  assert.equal(await page.locator('#ls-inbox').isVisible(), false, 'the inbox is a closed panel, not a section below the cards');
  await page.getByRole('link', { name: path.basename(dir) }).click();
  await page.getByRole('checkbox', { name: 'Select photo 01.txt' }).check();
  await page.getByRole('checkbox', { name: 'Select photo 02.txt' }).check();
  const t0 = Date.now();
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 10_000 }),
    page.locator('#ls-queue').click(),
  ]);
  const ms = Date.now() - t0;
  assert.match(dl.suggestedFilename(), /^shared-files-[0-9a-f]{8}-part1-of-1\.zip$|^inbox-\d+-[0-9a-f]{8}-part1-of-1\.zip$/);
  assert.ok(ms < 3000, `the download started ${ms} ms after the click`);
  await page.waitForFunction(() => document.querySelector('#ls-inbox-count .n').textContent === '1');
  assert.equal(await badge().isVisible(), true, 'the badge shows 1');
  assertNoProblems();
});

browserTest('the panel opens and closes with the keyboard; Escape returns focus to the control', async () => {
  const page = ctx.page;
  await page.locator('#ls-inbox-open').focus();
  await page.keyboard.press('Enter');
  assert.equal(await panelOpen(), true, 'Enter opens the panel');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'close', 'focus moves into the panel');
  const job = page.locator('#ls-inbox li.job').first();
  assert.match(await job.locator('.what').textContent(), /^2 files from inbox-\d+$/, 'the job says what it holds');
  assert.equal(await job.locator('time.asked').textContent(), 'asked just now');
  assert.equal(await job.locator('.state').textContent(), 'done');
  await page.keyboard.press('Escape');
  assert.equal(await panelOpen(), false, 'Escape closes it');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ls-inbox-open', 'focus is back on the control');
  // The close button and the backdrop close it too.
  await page.locator('#ls-inbox-open').click();
  await page.locator('#ls-inbox button.close').click();
  assert.equal(await panelOpen(), false, 'the close button closes it');
  await page.locator('#ls-inbox-open').click();
  await page.mouse.click(40, 450);
  assert.equal(await panelOpen(), false, 'a click beside the panel closes it');
  assertNoProblems();
});

browserTest('a multi-part job: Download all parts, SHA-256 behind a toggle', async () => {
  const page = ctx.page;
  await page.goto(share.url);
  await page.getByRole('button', { name: 'Queue a download of press kit' }).click();
  await page.locator('#ls-inbox-open').click();
  const job = page.locator('#ls-inbox li.job', { hasText: 'files from press kit' });
  await job.locator('.state', { hasText: 'done' }).waitFor({ timeout: 15_000 });
  const parts = await job.locator('li.part a').count();
  assert.ok(parts >= 2, `several parts (${parts})`);
  const names = await job.locator('li.part a').allTextContents();
  assert.ok(names.every((n) => /^Download press kit-[0-9a-f]{8}-part\d+-of-\d+\.zip \(/.test(n)), names.join(', '));
  const sha = job.locator('details.sha');
  assert.equal(await sha.locator('code').first().isVisible(), false, 'checksums hidden at first');
  await sha.locator('summary').click();
  assert.match(await sha.locator('code').first().textContent(), /^[0-9a-f]{64}$/);
  assert.equal(await sha.locator('code').first().isVisible(), true, 'shown after the toggle');
  const got = [];
  page.on('download', (d) => got.push(d.suggestedFilename()));
  await job.getByRole('button', { name: `Download all ${parts} parts` }).click();
  const until = Date.now() + 10_000;
  while (got.length < parts && Date.now() < until) await page.waitForTimeout(100);
  assert.equal(got.length, parts, `every part downloaded: ${got.join(', ')}`);
  assert.equal(new Set(got).size, parts, 'under distinct names');
  assert.equal(await sha.getAttribute('open'), '', 'the open toggle stays open across updates');
  assertNoProblems();
});

browserTest('axe-core with the panel open: light and dark, wide and phone; nothing scrolls sideways', async () => {
  const page = ctx.page;
  for (const [size, vp] of [['wide', WIDE], ['phone', PHONE]]) {
    await page.setViewportSize(vp);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      if (!(await panelOpen())) await page.locator('#ls-inbox-open').click();
      await page.waitForTimeout(100);
      await assertAccessible(`inbox panel, ${size}, ${scheme}`);
      await noSidewaysScroll(`inbox panel, ${size}, ${scheme}`);
      const [pw, pv] = await page.evaluate(() => {
        const d = document.getElementById('ls-inbox-panel');
        return [d.scrollWidth, d.clientWidth];
      });
      assert.ok(pw <= pv, `the panel itself does not scroll sideways (${pw} > ${pv})`);
      await shot(`i01-panel-${size}-${scheme}`);
      await page.keyboard.press('Escape');
      await shot(`i02-header-${size}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(WIDE);
  assertNoProblems();
});

browserTest('Cancel and Remove without reloading: the folder and the scroll stay', async () => {
  const page = ctx.page;
  // A job that runs a while: a 2 GB file of zeros (sparse).
  const dir = path.join(ASSET_ROOT, `inbox-big-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  made.push(dir);
  fs.closeSync(fs.openSync(path.join(dir, 'big.bin'), 'w'));
  fs.truncateSync(path.join(dir, 'big.bin'), 2 * 1024 ** 3);
  const big = await createShare([path.basename(dir), `${path.basename(dir).replace('-big', '')}`]);
  await page.goto(big.url);
  await page.getByRole('link', { name: path.basename(dir).replace('-big', '') }).click();
  const folderUrl = page.url();
  await page.locator('li.item').last().scrollIntoViewIfNeeded();
  await page.evaluate(() => { window.scrollTo(0, document.scrollingElement.scrollHeight); window.stillHere = true; });
  const y = await page.evaluate(() => window.scrollY);
  assert.ok(y > 200, `scrolled down the folder (${y})`);
  const q = await page.evaluate(async ([src, p]) => {
    const r = await fetch(src.replace('&op=inbox', '&op=queue'), { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ paths: [p] }) });
    return [r.status, (await r.json()).id];
  }, [await page.locator('#ls-inbox').getAttribute('data-src'), path.basename(dir)]);
  assert.equal(q[0], 202, 'a big job queued');
  // Scrolled down, the control is still at hand (fixed to the corner).
  await page.locator('#ls-inbox-float').waitFor();
  await page.locator('#ls-inbox-float').click();
  const running = page.locator(`#ls-inbox li.job[data-job="${q[1]}"]`);
  assert.equal(await running.locator('.what').textContent(), 'big.bin', 'one file: its name');
  await running.locator('form.cancel button').waitFor();
  await running.locator('form.cancel button').click();
  await running.locator('.state', { hasText: 'cancelled' }).waitFor();
  assert.match(await page.locator('#ls-inbox-status').textContent(), /Cancelled/);
  await running.locator('form.remove button').click();
  await running.waitFor({ state: 'detached' });
  // Remove a finished one (from the first test's browser: this share has
  // none yet, so make one).
  const q2 = await page.evaluate(async ([src, p]) => {
    const r = await fetch(src.replace('&op=inbox', '&op=queue'), { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ paths: [p] }) });
    return (await r.json()).id;
  }, [await page.locator('#ls-inbox').getAttribute('data-src'), `${path.basename(dir).replace('-big', '')}/photo 03.txt`]);
  const done = page.locator(`#ls-inbox li.job[data-job="${q2}"]`);
  await done.locator('.state', { hasText: 'done' }).waitFor({ timeout: 15_000 });
  await done.locator('form.remove button').click();
  await done.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => window.stillHere), true, 'no reload');
  assert.equal(page.url(), folderUrl, 'still in the folder');
  assert.equal(await page.evaluate(() => window.scrollY), y, 'at the same scroll');
  const after = await page.evaluate(async (src) => (await (await fetch(src)).json()).jobs.map((j) => j.id),
    await page.locator('#ls-inbox').getAttribute('data-src'));
  assert.ok(!after.includes(q2), 'removed on the server too');
  await shot('i03-panel-after-cancel-remove');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ls-inbox-float', 'focus back on the control it was opened with');
  assert.equal(await page.evaluate(() => window.scrollY), y, 'still at the same scroll');
  assertNoProblems();
});

browserTest('the link revoked while the page is open: the page says so', async () => {
  const page = ctx.page;
  const s = await createShare(['readme.txt']);
  await page.goto(s.url);
  await page.waitForTimeout(300); // the stream is open
  await revokeShare(s.id);
  await page.locator('#ls-count', { hasText: 'withdrawn' }).waitFor({ timeout: 6000 });
  const text = await page.locator('#ls-count').textContent();
  assert.match(text, /withdrawn by the person who shared it/);
  assert.doesNotMatch(text, /could not be reached/);
  assert.equal(await page.locator('#ls-queue').isDisabled(), true, 'nothing more can be queued');
  await page.locator('#ls-inbox-open').click();
  assert.match(await page.locator('#ls-inbox-status').textContent(), /withdrawn/);
  await shot('i04-revoked-while-open');
  await page.keyboard.press('Escape');
  // The EventSource's failed reconnects are no page errors to hide.
  assertNoProblems([/op=events/, /410/]);
});

browserTest('without server-sent events the inbox still follows its jobs (op=inbox)', async () => {
  const page = await ctx.context.newPage();
  await page.addInitScript(() => { delete window.EventSource; });
  const s = await createShare(['readme.txt', 'press kit']);
  await page.goto(s.url);
  await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 10_000 }),
    page.locator('#ls-queue').click(),
  ]);
  assert.match(dl.suggestedFilename(), /^readme-[0-9a-f]{8}-part1-of-1\.zip$/);
  await page.close();
});
