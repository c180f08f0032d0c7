// The activity of a link in Shared Links, signed in as alice: the
// "Activity" box of a row reads the link's log when opened, newest first,
// ten at a time, and "Older" pages on until there is nothing older.
// Checked by axe-core.
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  BASE, ctx, useBrowser, browserTest, createShare, assertNoProblems,
  assertAccessible,
} from './lib/harness.mjs';

useBrowser({ httpCredentials: { username: 'alice', password: 'alicepw' } });
const SHOTS = process.env.LS_SHOT_DIR || path.resolve('build/browser');

browserTest('Activity: the most recent events, then Older', async () => {
  const made = await createShare(['photos/2026/cat.jpg']);
  const link = new URL(made.url);
  const page = `${BASE}${link.pathname}${link.search}`;
  // Twelve visits by a recipient: eleven views of the page, one download.
  for (let i = 0; i < 11; i++) assert.equal((await fetch(page)).status, 200);
  assert.equal((await fetch(`${page}&op=file&path=cat.jpg`)).status, 200);
  await new Promise((r) => setTimeout(r, 1600)); // written within a second

  const p = ctx.page;
  await p.setViewportSize({ width: 1366, height: 900 });
  assert.equal((await p.goto(`${BASE}/linkshare/links.html`)).status(), 200);
  const row = p.locator(`#links tbody tr[data-id="${made.id}"]`);
  await row.waitFor();
  await row.getByText('Activity', { exact: true }).click();
  const items = row.locator('ol.events li');
  await items.nth(9).waitFor();
  assert.equal(await items.count(), 10, 'ten at first');
  assert.match(await items.nth(0).innerText(), /Downloaded cat\.jpg/, 'the newest first');
  assert.match(await items.nth(0).innerText(), /127\.0\.0\.0/, 'the truncated address');
  assert.match(await items.nth(1).innerText(), /Opened the link/);
  await p.screenshot({ path: path.join(SHOTS, '40-activity-1366-light.png') });
  await assertAccessible('Shared Links with the activity open');
  const older = row.getByRole('button', { name: 'Older' });
  await older.click();
  await items.nth(11).waitFor();
  assert.equal(await items.count(), 12, 'all twelve after Older');
  await older.waitFor({ state: 'hidden' });
  assertNoProblems();
});
