// The Link Sharing dialog in a real browser, signed in with HTTP Basic as
// alice: browse and search the asset tree (what alice may not open is not
// offered), pick items (chips), name the link, choose an expiry (presets,
// or a custom date and time in her own time zone), see problems next to
// their field in words and see them go once fixed, share, copy and open
// the link, and still send it by email. The time zone tests run the dialog
// in America/New_York and Asia/Kolkata. Shared Links has its own file
// (links.test.mjs). Mail is not configured on the test server, and the
// dialog must say so.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  BASE, ctx, useBrowser, browserTest, assertNoProblems, screenshot,
  listedNames, assertAccessible,
} from './lib/harness.mjs';

useBrowser({ httpCredentials: { username: 'alice', password: 'alicepw' } });
const SHOTS = process.env.LS_SHOT_DIR || path.resolve('build/browser');

const DIALOG = `${BASE}/linkshare/share.html`;
const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A datetime-local value (the browser's local time), as the page uses.
function localValue(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
const inDays = (n) => new Date(Date.now() + n * 86400e3);

async function openDialog(page = ctx.page) {
  const res = await page.goto(DIALOG);
  assert.equal(res.status(), 200, 'the dialog answers 200');
  // The root folder is listed once the script has asked the API, and the
  // expiry is set once the settings are in.
  await page.getByRole('checkbox', { name: 'Select readme.txt' }).waitFor();
  await page.locator('#expires-hint', { hasText: /time zone/ }).waitFor();
  return res;
}

const shareButton = (page = ctx.page) => page.getByRole('button', { name: 'Share', exact: true });

// The next POST .../shares the page sends, and the API's answer.
function nextShare(page = ctx.page) {
  return page.waitForResponse((r) => r.url().endsWith('/linkshare/api/shares')
    && r.request().method() === 'POST');
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

browserTest('the dialog is compact: Share shows without scrolling at 1366x900', async () => {
  const page = ctx.page;
  await page.setViewportSize({ width: 1366, height: 900 });
  const res = await openDialog();
  const csp = res.headers()['content-security-policy'] || '';
  assert.match(csp, /script-src 'sha256-/, 'a hashed script');
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(await page.title(), 'Link Sharing');
  assert.match(await page.locator('header').innerText(), /Signed in as alice/);
  await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
  const box = await shareButton().boundingBox();
  assert.ok(box && box.y + box.height <= 900, `the Share button is on screen (${box && box.y + box.height} px)`);
  assert.equal(await page.evaluate(() => window.scrollY), 0, 'nothing scrolled');
  // Type icons are inline SVG (the CSP allows no images).
  assert.ok(await page.locator('#assets tbody tr').first().locator('svg.icon').count() === 1,
    'each row has its icon');
  await bothSchemes('20-sharer-dialog-1366', 'the dialog');
  assertNoProblems();
});

browserTest('only what alice may open is offered; the email part says mail is off', async () => {
  await openDialog();
  const page = ctx.page;
  const names = await page.locator('#assets tbody td.name').allInnerTexts();
  assert.deepEqual(names.slice(0, 3), ['empty folder', 'photos', 'press kit'], 'folders first');
  assert.ok(!names.includes('private'), `private/ is not offered: ${names}`);
  assert.ok(names.includes('café menu.txt') && names.includes('Q3 "final" report.pdf'),
    `odd names shown as they are: ${names}`);
  assert.equal(await page.getByRole('button', { name: 'Open folder private' }).count(), 0);
  const res = await page.evaluate(async () => {
    const r = await fetch('api/assets?path=private');
    return { status: r.status, body: await r.json() };
  });
  assert.equal(res.status, 403);
  assert.equal(res.body.error, 'You do not have access to this folder.');
  // Email: folded away; open, it says why it cannot be used here.
  await page.getByText('Send the link by email').click();
  assert.match(await page.locator('#mail-off').innerText(), /Email is not set up on this server/);
  for (const label of ['Recipients', 'Subject', 'Message']) {
    assert.ok(await page.getByLabel(label, { exact: true }).isDisabled(), `${label} is disabled`);
  }
  assert.ok(await page.getByLabel('Allow download of original file').isChecked());
  assertNoProblems([/status of 403/]);
});

browserTest('search narrows the open folder, accents and case aside, then looks in subfolders', async () => {
  await openDialog();
  const page = ctx.page;
  const search = page.getByLabel('Search this folder and its subfolders');
  await search.fill('CAFE');
  assert.deepEqual(await page.locator('#assets tbody td.name').allInnerTexts(), ['café menu.txt']);
  await search.fill('nothing like this');
  assert.equal(await page.locator('#assets tbody tr').count(), 0);
  await page.locator('#assets-status', { hasText: 'Nothing here or in the folders below matches "nothing like this"' })
    .waitFor();
  // From the top, a file two folders down, saying where it is; nothing of
  // a folder alice may not open.
  await search.fill('dog');
  await page.locator('#assets-status', { hasText: '1 match here and in the folders below.' }).waitFor();
  assert.deepEqual(await page.locator('#assets tbody td.name').allInnerTexts(), ['dog.png\nin photos/2026']);
  await page.getByRole('checkbox', { name: 'Select dog.png' }).check();
  assert.deepEqual(await page.locator('#picked li span:not(.badge)').allInnerTexts(), ['photos/2026/dog.png'],
    'picked from the search with its whole path');
  await search.fill('secret');
  await page.locator('#assets-status', { hasText: 'Nothing here or in the folders below matches "secret"' }).waitFor();
  await page.getByRole('button', { name: 'Remove photos/2026/dog.png' }).click();
  await search.fill('');
  assert.ok(await page.locator('#assets tbody tr').count() > 5, 'all back');
  // A folder opened from a search starts unfiltered.
  await search.fill('pho');
  await page.getByRole('button', { name: 'Open folder photos' }).click();
  await page.getByRole('button', { name: 'Open folder 2026' }).waitFor();
  assert.equal(await search.inputValue(), '');
  assertNoProblems();
});

browserTest('picked items are chips; removing a chip un-ticks its box', async () => {
  await openDialog();
  const page = ctx.page;
  await page.getByRole('button', { name: 'Open folder photos' }).click();
  await page.getByRole('button', { name: 'Open folder 2026' }).click();
  await page.getByRole('checkbox', { name: 'Select cat.jpg' }).check();
  const crumbs = page.getByRole('navigation', { name: 'Folders' });
  assert.equal(await crumbs.locator('[aria-current="page"]').innerText(), '2026');
  await screenshot('21-sharer-browse');
  await crumbs.getByRole('button', { name: 'All assets' }).click();
  await page.getByRole('checkbox', { name: 'Select press kit' }).check();
  assert.deepEqual(await page.locator('#picked li span').allInnerTexts(),
    ['photos/2026/cat.jpg', 'press kit/']);
  assert.ok(await page.locator('#picked-none').isHidden());
  await page.getByRole('button', { name: 'Remove press kit' }).click();
  assert.deepEqual(await page.locator('#picked li span').allInnerTexts(), ['photos/2026/cat.jpg']);
  assert.ok(!(await page.getByRole('checkbox', { name: 'Select press kit' }).isChecked()),
    'its box is un-ticked');
  // The keyboard does the same.
  await page.getByRole('button', { name: 'Open folder press kit' }).focus();
  await page.keyboard.press('Enter');
  const box = page.getByRole('checkbox', { name: 'Select notes.txt' });
  await box.focus();
  await page.keyboard.press('Space');
  assert.ok(await box.isChecked(), 'Space ticks a checkbox');
  await page.getByRole('button', { name: 'Remove press kit/notes.txt' }).focus();
  await page.keyboard.press('Enter');
  assert.ok(!(await box.isChecked()), 'Enter on a chip\'s × un-picks it');
  assertNoProblems();
});

browserTest('problems show next to their field in words, and go once fixed', async () => {
  await openDialog();
  const page = ctx.page;
  const err = (id) => page.locator(`#${id}`);
  // Nothing picked.
  await shareButton().click();
  assert.match(await err('items-error').innerText(), /Choose at least one file or folder to share/);
  await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
  assert.equal(await err('items-error').innerText(), '', 'picking something clears it');
  // A custom time in the past.
  await page.getByLabel('Custom').check();
  const when = page.getByLabel('Expiration date and time');
  await when.fill(localValue(new Date(Date.now() - 3600e3)));
  await shareButton().click();
  assert.equal(await err('expires-error').innerText(), 'Choose a time in the future.');
  assert.equal(await when.getAttribute('aria-invalid'), 'true');
  assert.doesNotMatch(await page.locator('main').innerText(), /Field "/, 'never the API\'s field names');
  await screenshot('30-sharer-field-errors');
  await assertAccessible('the dialog with a field error');
  // Too far ahead.
  await when.fill(localValue(inDays(40)));
  await shareButton().click();
  assert.match(await err('expires-error').innerText(), /^Links can last at most 30 days: choose .+ or earlier\.$/);
  // Fixed: the message goes as soon as the value is right.
  await when.fill(localValue(inDays(3)));
  assert.equal(await err('expires-error').innerText(), '');
  assert.equal(await when.getAttribute('aria-invalid'), null);
  assert.ok(await page.locator('#result').isHidden(), 'no link was made');
  assertNoProblems();
});

browserTest('the API\'s refusals land next to their field too', async () => {
  await openDialog();
  const page = ctx.page;
  // As the API answers a name it refuses (this page keeps names short
  // itself): a 400 naming the field.
  await page.route('**/linkshare/api/shares', (route) => route.fulfill({ status: 400,
    json: { error: 'Field "name" may not contain line breaks or control characters.' } }));
  try {
    await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
    await page.locator('#link-name').fill('Q3');
    await shareButton().click();
    const err = page.locator('#name-error');
    await err.filter({ hasText: /\S/ }).waitFor();
    assert.equal(await err.innerText(), 'May not contain line breaks or control characters.');
    await page.locator('#link-name').fill('Q3 report');
    assert.equal(await err.innerText(), '', 'typing a name that is fine clears it');
  } finally {
    await page.unroute('**/linkshare/api/shares');
  }
  assertNoProblems([/status of 400/]);
});

browserTest('expiry presets: 1 day by default, 1 week and 1 month as asked', async () => {
  await openDialog();
  const page = ctx.page;
  assert.ok(await page.getByLabel('1 day').isChecked(), 'the configured default (1 day)');
  assert.ok(await page.getByLabel('Expiration date and time').isHidden(), 'no date field until Custom');
  await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
  for (const [label, days] of [['1 week', 7], ['1 month', 30]]) {
    await page.getByLabel(label).check();
    assert.match(await page.locator('#expires-hint').innerText(), /^Works until .+\. Times are in your time zone/);
    const answer = nextShare();
    await shareButton().click();
    const j = await (await answer).json();
    const hours = (Date.parse(j.expires) - Date.parse(j.created)) / 3600e3;
    assert.ok(Math.abs(hours - days * 24) < 0.1, `${label}: ${hours} hours`);
    await page.getByRole('button', { name: 'Share something else' }).click();
    await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
  }
  assertNoProblems();
});

browserTest('share: the items named, the link selected, Copy, Open, send by email', async () => {
  await openDialog();
  const page = ctx.page;
  await page.getByRole('button', { name: 'Open folder photos' }).click();
  await page.getByRole('button', { name: 'Open folder 2026' }).click();
  await page.getByRole('checkbox', { name: 'Select cat.jpg' }).check();
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('button', { name: 'All assets' }).click();
  await page.getByRole('checkbox', { name: 'Select press kit' }).check();
  await page.locator('#link-name').fill('Cat & "press" <kit>');
  await page.getByLabel('Custom').check();
  const expires = localValue(inDays(2));
  await page.getByLabel('Expiration date and time').fill(expires);
  const answer = nextShare();
  await shareButton().click();
  const j = await (await answer).json();

  const link = page.getByLabel('Share Link');
  await link.waitFor();
  const url = await link.inputValue();
  assert.match(url, /\/linkshare\.html\?sh=[A-Za-z0-9_-]{43}$/);
  assert.equal(url, j.url);
  assert.ok(await link.getAttribute('readonly') !== null, 'read-only');
  assert.ok(await link.evaluate((i) => document.activeElement === i
    && i.selectionStart === 0 && i.selectionEnd === i.value.length), 'the link is selected');
  assert.equal(await page.locator('#h-result').innerText(), '“Cat & "press" <kit>” is ready to share');
  assert.deepEqual(await page.locator('#shared-items li').allInnerTexts(), ['photos/2026/cat.jpg', 'press kit/'],
    'the items named');
  assert.match(await page.locator('#confirmation').innerText(),
    /^Shared 2 items\. The link works until .+\d{4}, \d{1,2}:\d\d [AP]M .+\.$/);
  assert.equal(j.name, 'Cat & "press" <kit>');
  assert.equal(j.expires, new Date(expires).toISOString().replace(/\.\d+Z$/, 'Z'), 'the chosen time was sent');
  await ctx.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.locator('#copy-status', { hasText: /\S/ }).waitFor();
  assert.equal(await page.locator('#copy-status').innerText(), 'Copied.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  const open = page.getByRole('link', { name: 'Open', exact: true });
  assert.equal(await open.getAttribute('href'), url);
  assert.equal(await open.getAttribute('target'), '_blank');
  const mail = await page.getByRole('link', { name: 'Send by email' }).getAttribute('href');
  assert.ok(mail.startsWith('mailto:?subject=') && decodeURIComponent(mail).includes(url),
    'send by email: the sharer\'s own mail app, with the link');
  for (const [w, h] of [[1366, 900], [375, 812]]) {
    await page.setViewportSize({ width: w, height: h });
    await bothSchemes(`22-sharer-link-${w}`, 'the link is ready');
  }
  await page.setViewportSize({ width: 1024, height: 720 });
  assertNoProblems();

  // Open: the recipients' page behind the link.
  const [tab] = await Promise.all([ctx.context.waitForEvent('page'), open.click()]);
  await tab.waitForLoadState();
  assert.equal(tab.url(), url);
  assert.deepEqual((await listedNames(tab)).sort(), ['cat.jpg', 'press kit']);
  await tab.close();
  assertNoProblems();
});

browserTest('a collection can be shared instead of picked files', async () => {
  const made = await ctx.page.evaluate(async () => {
    const r = await fetch('api/collections', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Press pack "2026"', paths: ['press kit/logo.png', 'readme.txt'] }) });
    return { status: r.status, json: await r.json() };
  });
  assert.equal(made.status, 201);
  await openDialog();
  const page = ctx.page;
  await page.getByLabel('Or share a collection').selectOption({ label: 'Press pack "2026" (2 items)' });
  await shareButton().click();
  await page.locator('#confirmation', { hasText: 'Shared 2 items' }).waitFor();
  await page.getByRole('button', { name: 'Share something else' }).click();
  assert.ok(await page.locator('#result').isHidden());
  assert.equal(await page.getByLabel('Share Link').inputValue(), '');
  assert.equal(await page.locator('#link-name').inputValue(), '', 'the name is cleared too');
  assertNoProblems();
});

// Mail does not exist on this server, so its settings answer is stubbed
// here (mail on, example.com the organisation's domain) to drive the email
// part; the share itself goes to the real API, which refuses recipients,
// and the page shows that next to the recipients.
browserTest('with mail on: recipients as chips, External User, subject and message', async () => {
  const page = ctx.page;
  await page.route('**/linkshare/api/settings', (route) => route.fulfill({
    json: { user: 'alice', admin: false, mail: true, org_domains: ['example.com'],
      default_expiry: 86400, max_expiry: 30 * 86400 },
  }));
  await page.route('**/linkshare/api/recipients?*', (route) => route.fulfill({
    json: { recipients: ['ann@example.com', 'anton@partner.org'], limit: 20 },
  }));
  try {
    await openDialog();
    await page.getByText('Send the link by email').click();
    assert.ok(await page.locator('#mail-off').isHidden(), 'no "not set up" notice');
    const input = page.getByLabel('Recipients', { exact: true });
    await input.fill('an');
    const options = page.locator('#recipient-suggestions option');
    await options.nth(1).waitFor({ state: 'attached' });
    assert.deepEqual(
      await options.evaluateAll((os) => os.map((o) => [o.value, o.getAttribute('label')])),
      [['ann@example.com', null], ['anton@partner.org', 'External User']]);
    await input.fill('ann@example.com, bob@partner.org');
    await input.press('Enter');
    await input.fill('carol@mail.example.com');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const chips = () => page.locator('#recipients li').evaluateAll((lis) => lis.map((li) => [
      li.firstChild.textContent, li.querySelector('.badge')?.textContent || '']));
    assert.deepEqual(await chips(), [['ann@example.com', ''],
      ['bob@partner.org', 'External User'], ['carol@mail.example.com', '']]);
    await input.fill('not an address');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    assert.equal(await page.locator('#recipient-error').innerText(), '"not" is not an email address.');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    await input.fill('');
    assert.equal(await page.locator('#recipient-error').innerText(), '', 'typing clears it');
    await page.getByRole('button', { name: 'Remove carol@mail.example.com' }).click();
    assert.equal((await chips()).length, 2);
    await page.getByLabel('Subject', { exact: true }).fill('Our "press" kit');
    await page.getByLabel('Message', { exact: true }).fill('Hello <b>there</b>');
    await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await shareButton().boundingBox();
    assert.ok(box && box.y + box.height <= 900, `Share stays on screen with the email part open (bottom ${box && box.y + box.height})`);
    // The window as the sharer sees it (Share stuck to its bottom).
    await page.screenshot({ path: path.join(SHOTS, '28-sharer-dialog-mail.png') });
    const sent = page.waitForRequest((rq) => rq.url().endsWith('/linkshare/api/shares')
      && rq.method() === 'POST');
    await shareButton().click();
    const body = (await sent).postDataJSON();
    assert.deepEqual(body.recipients, ['ann@example.com', 'bob@partner.org']);
    assert.equal(body.subject, 'Our "press" kit');
    assert.equal(body.message, 'Hello <b>there</b>');
    const err = page.locator('#recipient-error');
    await err.filter({ hasText: 'Email is not set up' }).waitFor();
    assert.doesNotMatch(await err.innerText(), /Field "/);
    assert.ok(await page.locator('#result').isHidden(), 'no link was made');
    assertNoProblems([/status of 400/]);
  } finally {
    await page.setViewportSize({ width: 1024, height: 720 });
    await page.unroute('**/linkshare/api/settings');
    await page.unroute('**/linkshare/api/recipients?*');
  }
});

// After Share, with mail on (settings stubbed as above): "Send by email"
// opens a form that mails the link through the server (POST
// .../shares/ID/recipients). The real server has no mail and refuses,
// which the form shows next to the addresses; a stubbed 202 then shows
// what the sharer sees when it works.
browserTest('after Share, with mail on: send the link by email to more people', async () => {
  const page = ctx.page;
  await page.route('**/linkshare/api/settings', (route) => route.fulfill({
    json: { user: 'alice', admin: false, mail: true, org_domains: ['example.com'],
      default_expiry: 86400, max_expiry: 30 * 86400 },
  }));
  try {
    await openDialog();
    await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
    const answer = nextShare();
    await shareButton().click();
    const j = await (await answer).json();
    await page.getByLabel('Share Link').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Send by email' }).count(), 0,
      'no mailto: link when the server sends mail');
    const open = page.getByRole('button', { name: 'Send by email' });
    assert.equal(await open.getAttribute('aria-expanded'), 'false');
    await open.click();
    assert.equal(await open.getAttribute('aria-expanded'), 'true');
    const to = page.getByLabel('To', { exact: true });
    assert.ok(await to.evaluate((i) => document.activeElement === i), 'the address field has the focus');
    const send = page.getByRole('button', { name: 'Send', exact: true });
    await send.click();
    assert.equal(await page.locator('#later-error').innerText(), 'Enter the email address to send the link to.');
    await to.fill('ann@example.com, not an address');
    await send.click();
    assert.equal(await page.locator('#later-error').innerText(), '"not" is not an email address.');
    assert.equal(await to.getAttribute('aria-invalid'), 'true');
    await to.fill('ann@example.com, bob@partner.org');
    assert.equal(await page.locator('#later-error').innerText(), '', 'typing clears it');
    await page.getByLabel('Subject (optional)').fill('The readme');
    const sent = page.waitForRequest((rq) => rq.url().endsWith(`/shares/${j.id}/recipients`));
    await send.click();
    const body = (await sent).postDataJSON();
    assert.deepEqual(body, { recipients: ['ann@example.com', 'bob@partner.org'], subject: 'The readme' });
    await page.locator('#later-error', { hasText: 'Email is not set up on this server' }).waitFor();
    assert.doesNotMatch(await page.locator('#later-error').innerText(), /Field "/);

    await page.route(`**/linkshare/api/shares/${j.id}/recipients`, (route) => route.fulfill({
      status: 202, json: { ...j, url: undefined, recipients: [
        { email: 'ann@example.com', external: false, mail_state: 'queued' },
        { email: 'bob@partner.org', external: true, mail_state: 'queued' }] },
    }));
    await send.click();
    await page.locator('#later-status', { hasText: 'Email to ann@example.com, bob@partner.org is on its way.' })
      .waitFor();
    assert.equal(await to.inputValue(), '', 'the addresses are cleared for the next ones');
    assert.match(await page.locator('#confirmation').innerText(), /Email to 2 recipients is on its way\.$/);
    assert.match(await page.getByLabel('Share Link').inputValue(), /sh=[A-Za-z0-9_-]{43}$/, 'the link stays shown');
    for (const [w, h] of [[1366, 900], [375, 812]]) {
      await page.setViewportSize({ width: w, height: h });
      await bothSchemes(`23-sharer-mail-later-${w}`, 'send by email after Share');
    }
    await page.setViewportSize({ width: 1024, height: 720 });
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    assert.ok(await page.locator('#mail-later').isHidden(), 'Cancel closes the form');
    assertNoProblems([/status of 400/]);
  } finally {
    await page.setViewportSize({ width: 1024, height: 720 });
    await page.unroute('**/linkshare/api/settings');
    await page.unroute('**/linkshare/api/shares/*/recipients');
  }
});

// A custom time is the sharer's own wall-clock time, and the confirmation
// says it in that zone: 09:30 three days ahead is 14:30 UTC in New York
// (EST in December) and 04:00 UTC in Kolkata (IST, +05:30).
for (const [zone, utc, abbr] of [['America/New_York', '14:30', /EST/], ['Asia/Kolkata', '04:00', /GMT\+5:30|IST/]]) {
  browserTest(`time zones: a custom time in ${zone} is that zone's time`, async () => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-tz-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.LS_CHROMIUM || '/usr/bin/chromium', headless: true,
      timezoneId: zone, locale: 'en-US', viewport: { width: 1366, height: 900 },
      httpCredentials: { username: 'alice', password: 'alicepw' }, args: CHROME_ARGS,
    });
    try {
      const page = context.pages()[0] || (await context.newPage());
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await openDialog(page);
      // ICU may give the zone its older name (Asia/Calcutta).
      assert.match(await page.locator('#expires-hint').innerText(),
        zone === 'Asia/Kolkata' ? /Asia\/(Kolkata|Calcutta)/ : /America\/New_York/, 'the hint names the zone');
      // Three days ahead in that zone, at 09:30 there.
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit',
        day: '2-digit' }).format(inDays(3));
      await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
      await page.getByLabel('Custom').check();
      await page.getByLabel('Expiration date and time').fill(`${day}T09:30`);
      assert.match(await page.locator('#expires-hint').innerText(), /9:30 AM/);
      const answer = nextShare(page);
      await shareButton(page).click();
      const j = await (await answer).json();
      assert.equal(j.expires, `${day}T${utc}:00Z`, `09:30 in ${zone} is ${utc} UTC`);
      const text = await page.locator('#confirmation').innerText();
      assert.match(text, /9:30 AM/, `the confirmation in ${zone}'s time: ${text}`);
      assert.match(text, abbr, `... naming the zone: ${text}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
}

browserTest('the dialog fits a phone: one column, nothing sideways', async () => {
  const page = ctx.page;
  await page.setViewportSize({ width: 375, height: 812 });
  try {
    await openDialog();
    await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 375, `no sideways scrolling (${wide}px wide)`);
    await bothSchemes('26-sharer-dialog-375', 'the dialog on a phone');
    assertNoProblems();
  } finally {
    await page.setViewportSize({ width: 1024, height: 720 });
  }
});

