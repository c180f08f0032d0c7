// Shared Links in a real browser, signed in as alice: every active link
// can be copied or opened again; links are named, renamed, given a new
// expiry and unshared; the list filters by state, searches names and items
// and sorts by created or expires; expired and revoked links never show a
// link, links made before links were kept say so; on a phone the rows are
// cards and nothing scrolls sideways. Light and dark, checked by axe-core.
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  BASE, ctx, useBrowser, browserTest, api, createShare, assertNoProblems,
  screenshot, assertAccessible,
} from './lib/harness.mjs';

useBrowser({ httpCredentials: { username: 'alice', password: 'alicepw' } });
const SHOTS = process.env.LS_SHOT_DIR || path.resolve('build/browser');

const LINKS = `${BASE}/linkshare/links.html`;
const rowOf = (id, page = ctx.page) => page.locator(`#links tbody tr[data-id="${id}"]`);

async function openLinks() {
  const res = await ctx.page.goto(LINKS);
  assert.equal(res.status(), 200);
  await ctx.page.locator('#links-status', { hasText: /\S/ }).waitFor();
}

// The screen as a person sees it at this size (a phone: the whole page),
// light and dark, each checked by axe-core.
async function bothSchemes(name, what) {
  const full = ctx.page.viewportSize().width < 600;
  for (const scheme of ['light', 'dark']) {
    await ctx.page.emulateMedia({ colorScheme: scheme });
    await ctx.page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`), fullPage: full });
    await assertAccessible(`${what} (${scheme})`);
  }
  await ctx.page.emulateMedia({ colorScheme: 'light' });
}

let made; // a real share of alice's, named

browserTest('an active link can be copied and opened again', async () => {
  made = await createShare(['photos/2026/cat.jpg', 'press kit/'], { name: 'Board pack "Q3"' });
  await createShare(['readme.txt']);
  const page = ctx.page;
  await page.setViewportSize({ width: 1366, height: 900 });
  await openLinks();
  assert.equal(await page.title(), 'Shared Links');
  assert.ok(await page.locator('#all-toggle').isHidden(), 'alice is no admin: no "all" toggle');
  const row = rowOf(made.id);
  assert.equal(await row.locator('.title').innerText(), 'Board pack "Q3"', 'the name is the title');
  assert.match(await row.locator('td[data-label="Link"]').innerText(), /photos\/2026\/cat\.jpg\npress kit\//);
  assert.equal(await row.locator('td[data-label="State"]').innerText(), 'active');
  assert.match(await row.locator('td[data-label="Expires"]').innerText(), /\d{4}, \d{1,2}:\d\d [AP]M .+\nin (24|23) hours/);
  await ctx.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  await row.getByRole('button', { name: 'Copy link' }).click();
  await row.getByText('Copied.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), made.url,
    'the clipboard holds the same link as when it was made');
  const open = row.getByRole('link', { name: 'Open Board pack "Q3"' });
  assert.equal(await open.getAttribute('href'), made.url);
  const [tab] = await Promise.all([ctx.context.waitForEvent('page'), open.click()]);
  await tab.waitForLoadState();
  assert.equal(tab.url(), made.url);
  await tab.close();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 1366, `the list fits the window (${wide}px wide)`);
  await bothSchemes('24-shared-links-1366', 'Shared Links');
  await page.setViewportSize({ width: 1024, height: 720 });
  assertNoProblems();
});

browserTest('Edit: a new name and a new expiry', async () => {
  const page = ctx.page;
  await openLinks();
  let row = rowOf(made.id);
  await row.getByText('Edit', { exact: true }).click();
  await row.getByLabel('Name').fill('Board pack, final');
  await row.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#links-status', { hasText: 'The link is now called "Board pack, final".' }).waitFor();
  row = rowOf(made.id);
  assert.equal(await row.locator('.title').innerText(), 'Board pack, final');
  assert.equal((await api('GET', `/linkshare/api/shares/${made.id}`)).json.name, 'Board pack, final');
  // A new expiry, five days ahead at 10:15 local time.
  const d = new Date(Date.now() + 5 * 86400e3);
  d.setHours(10, 15, 0, 0);
  const p = (n) => String(n).padStart(2, '0');
  await row.getByText('Edit', { exact: true }).click();
  await row.getByLabel('New expiry').fill(`${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T10:15`);
  await row.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#links-status', { hasText: 'The link now expires' }).waitFor();
  const stored = await api('GET', `/linkshare/api/shares/${made.id}`);
  assert.equal(stored.json.expires, d.toISOString().replace(/\.\d+Z$/, 'Z'), 'the new expiry is stored');
  assert.match(await rowOf(made.id).locator('td[data-label="Expires"]').innerText(), /10:15 AM/);
  assertNoProblems();
});

// The list's answer is stubbed to hold every kind of link at once (the API
// side of each is t/012): an active named one, an active one from before
// links were kept (no url), an expired and a revoked one (never a url).
const STUB = [
  { id: 'aaaaaaaaaaaaaaa1', name: 'Board pack', state: 'active', created: '2026-11-20T10:00:00Z',
    expires: '2099-01-10T10:00:00Z', url: `${BASE}/linkshare.html?sh=${'A'.repeat(43)}`,
    items: [{ path: 'press kit', kind: 'folder', available: true }] },
  { id: 'aaaaaaaaaaaaaaa2', name: null, state: 'active', created: '2026-11-25T10:00:00Z',
    expires: '2099-01-05T10:00:00Z',
    items: [{ path: 'café menu.txt', kind: 'file', available: true },
      { path: 'readme.txt', kind: 'file', available: false }] },
  { id: 'aaaaaaaaaaaaaaa3', name: 'Old photos', state: 'expired', created: '2026-10-01T10:00:00Z',
    expires: '2026-10-02T10:00:00Z', items: [{ path: 'photos/2026', kind: 'folder', available: true }] },
  { id: 'aaaaaaaaaaaaaaa4', name: 'Withdrawn', state: 'revoked', created: '2026-11-28T10:00:00Z',
    expires: '2099-02-01T10:00:00Z', items: [{ path: 'photos/2026/cat.jpg', kind: 'file', available: true }] },
].map((s) => ({ owner: 'alice', allow_original: true, recipients: [], downloads: 0, ...s }));

browserTest('filter by state, search names and items, sort by created or expires', async () => {
  const page = ctx.page;
  await page.route('**/linkshare/api/shares', (route) => route.fulfill({ json: { shares: STUB } }));
  try {
    await openLinks();
    const ids = async () => page.locator('#links tbody tr').evaluateAll((trs) => trs.map((t) => t.dataset.id.slice(-1)));
    assert.deepEqual(await ids(), ['4', '2', '1', '3'], 'newest first');
    assert.equal(await page.locator('#links-status').innerText(), '4 links');
    await page.getByLabel('Active', { exact: true }).check();
    assert.deepEqual(await ids(), ['2', '1']);
    assert.equal(await page.locator('#links-status').innerText(), '2 of 4 links');
    await page.getByLabel('Expired', { exact: true }).check();
    assert.deepEqual(await ids(), ['3']);
    await page.getByLabel('Revoked', { exact: true }).check();
    assert.deepEqual(await ids(), ['4']);
    await page.getByLabel('All', { exact: true }).check();
    await page.getByLabel('Sort by').selectOption({ label: 'Expiring soonest' });
    assert.deepEqual(await ids(), ['3', '2', '1', '4']);
    await page.getByLabel('Sort by').selectOption({ label: 'Oldest first' });
    assert.deepEqual(await ids(), ['3', '1', '2', '4']);
    await page.getByLabel('Sort by').selectOption({ label: 'Expiring last' });
    assert.deepEqual(await ids(), ['4', '1', '2', '3']);
    const search = page.getByLabel('Search by name or item');
    await search.fill('CAFE');
    assert.deepEqual(await ids(), ['2'], 'an item, accents and case aside');
    await search.fill('photos');
    assert.deepEqual((await ids()).sort(), ['3', '4'], 'a name or an item\'s path');
    await search.fill('board');
    assert.deepEqual(await ids(), ['1'], 'a name');
    await search.fill('nothing like it');
    assert.deepEqual(await ids(), []);
    assert.match(await page.locator('#links-status').innerText(), /No links match/);
    await search.fill('');

    // Links: copy and open for the active one only.
    const links = async (n) => rowOf(`aaaaaaaaaaaaaaa${n}`).locator('a[href*="sh="], button:has-text("Copy link")').count();
    assert.equal(await links(1), 2, 'active: Copy link and Open');
    for (const n of [2, 3, 4]) assert.equal(await links(n), 0, `link ${n}: no link shown`);
    assert.match(await rowOf('aaaaaaaaaaaaaaa2').innerText(),
      /This link still works, but it was made before links were kept, so it cannot be shown again/);
    assert.doesNotMatch(await rowOf('aaaaaaaaaaaaaaa3').innerText(), /cannot be shown again/,
      'an expired link is just expired');
    assert.equal(await rowOf('aaaaaaaaaaaaaaa2').locator('.title').innerText(), 'café menu.txt and 1 more',
      'no name: the first item');
    assert.match(await rowOf('aaaaaaaaaaaaaaa2').innerText(), /readme\.txt moved or deleted/);
    assert.equal(await rowOf('aaaaaaaaaaaaaaa4').getByRole('button', { name: 'Unshare' }).count(), 0,
      'a revoked link cannot be unshared again');
    await page.setViewportSize({ width: 1366, height: 900 });
    await bothSchemes('31-shared-links-states-1366', 'Shared Links with every state');
    await page.setViewportSize({ width: 375, height: 812 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 375, `a phone: nothing scrolls sideways (${wide}px)`);
    const card = await rowOf('aaaaaaaaaaaaaaa1').evaluate((tr) => getComputedStyle(tr).display);
    assert.notEqual(card, 'table-row', `a phone: rows are cards (${card})`);
    assert.ok(await page.locator('#links thead').evaluate((h) => h.getBoundingClientRect().height <= 1),
      'no table head on a phone');
    await bothSchemes('27-shared-links-375', 'Shared Links on a phone');
    assertNoProblems();
  } finally {
    await page.setViewportSize({ width: 1024, height: 720 });
    await page.unroute('**/linkshare/api/shares');
  }
});

browserTest('Unshare asks first; then the link answers 410 and is shown no more', async () => {
  const page = ctx.page;
  await openLinks();
  let row = rowOf(made.id);
  page.once('dialog', (d) => d.dismiss());
  await row.getByRole('button', { name: 'Unshare' }).click();
  assert.equal(await row.locator('td[data-label="State"]').innerText(), 'active');
  assert.equal((await fetch(made.url)).status, 200, 'the link still works');
  let question = '';
  page.once('dialog', (d) => { question = d.message(); d.accept(); });
  await row.getByRole('button', { name: 'Unshare' }).click();
  await page.locator('#links-status', { hasText: 'unshared' }).waitFor();
  assert.match(question, /Unshare this link\?/);
  row = rowOf(made.id);
  assert.equal(await row.locator('td[data-label="State"]').innerText(), 'revoked');
  assert.equal(await row.getByRole('button', { name: 'Copy link' }).count(), 0, 'no Copy link');
  assert.doesNotMatch(await page.content(), new RegExp(made.url.split('sh=')[1]), 'the token is gone from the page');
  assert.equal((await fetch(made.url)).status, 410, 'the link answers 410');
  await screenshot('25-shared-links-unshared');
  assertNoProblems();
});

// An admin: this page (and its API calls) signs in as admin instead, by
// header, since the context's credentials are alice's.
browserTest('an admin may show the links of every user', async () => {
  const page = ctx.page;
  const admin = 'Basic ' + Buffer.from('admin:adminpw').toString('base64');
  await page.route(`${BASE}/linkshare/**`, (route) => route.continue({
    headers: { ...route.request().headers(), authorization: admin },
  }));
  try {
    await page.goto(LINKS);
    assert.match(await page.locator('header').innerText(), /Signed in as admin/);
    const toggle = page.getByLabel('Show the links of every user');
    await toggle.waitFor();
    await toggle.check();
    const row = rowOf(made.id);
    await row.waitFor();
    assert.match(await row.locator('td[data-label="Link"]').innerText(), /by alice/);
    await screenshot('29-shared-links-admin');
    assertNoProblems();
  } finally {
    await page.unroute(`${BASE}/linkshare/**`);
  }
});

// The test server has no SMTP server (t/090 tests mail itself): the list's
// answers are stubbed to show a failed mail, and the Resend request the
// page makes is checked as it leaves the browser.
browserTest('a failed mail shows its reply and can be sent again', async () => {
  const page = ctx.page;
  const share = { ...STUB[0], id: '0123456789abcdef',
    recipients: [
      { email: 'bob@example.com', external: false, mail_state: 'failed',
        mail_reply: '550 5.1.1 mailbox unavailable', mail_attempts: 1 },
      { email: 'carol@partner.example', external: true, mail_state: 'queued',
        mail_reply: null, mail_attempts: 0 }] };
  let resent = null;
  await page.route('**/linkshare/api/shares', (route) => route.fulfill({ json: { shares: [share] } }));
  await page.route('**/linkshare/api/shares/0123456789abcdef/resend', (route) => {
    resent = { method: route.request().method(), body: route.request().postDataJSON() };
    share.recipients[0] = { ...share.recipients[0], mail_state: 'queued', mail_reply: null };
    return route.fulfill({ status: 202, json: share });
  });
  try {
    await openLinks();
    const cell = rowOf('0123456789abcdef').locator('td[data-label="Recipients"]');
    assert.match(await cell.innerText(), /bob@example\.com \(failed: 550 5\.1\.1 mailbox unavailable\)/);
    assert.match(await cell.innerText(), /carol@partner\.example External User \(queued\)/);
    assert.equal(await cell.getByRole('button', { name: 'Resend to carol@partner.example' }).count(), 0,
      'a queued mail has no Resend');
    await cell.getByRole('button', { name: 'Resend to bob@example.com' }).click();
    await page.getByText('The link will be sent to bob@example.com again.').waitFor();
    assert.deepEqual(resent, { method: 'POST', body: { email: 'bob@example.com' } });
    assert.match(await cell.innerText(), /bob@example\.com \(queued\)/);
    await assertAccessible('shared links with recipients');
    assertNoProblems();
  } finally {
    await page.unroute('**/linkshare/api/shares');
    await page.unroute('**/linkshare/api/shares/0123456789abcdef/resend');
  }
});
