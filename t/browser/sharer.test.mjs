// The sharer's pages in a real browser, signed in with HTTP Basic as alice:
// the Link Sharing dialog (browse the asset tree, pick a file and a folder,
// choose an expiry, share, copy the link), the recipients' page behind that
// link, and the Shared Links list (change the expiry, Unshare: the link
// answers 410). Mail is not configured on the test server, and the dialog
// must say so.
import assert from 'node:assert/strict';
import {
  BASE, ctx, useBrowser, browserTest, api, assertNoProblems, screenshot,
  listedNames, assertAccessible,
} from './lib/harness.mjs';

useBrowser({ httpCredentials: { username: 'alice', password: 'alicepw' } });

const DIALOG = `${BASE}/linkshare/share.html`;
const LINKS = `${BASE}/linkshare/links.html`;

// A datetime-local value (the browser's local time), as the pages use.
function localValue(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
const inDays = (n) => new Date(Date.now() + n * 86400e3);
const isoOf = (local) => new Date(local).toISOString().replace(/\.\d+Z$/, 'Z');

let shared; // { url, expires } of the link the dialog created

async function openDialog() {
  const res = await ctx.page.goto(DIALOG);
  assert.equal(res.status(), 200, 'the dialog answers 200');
  // The root folder is listed once the script has asked the API.
  await ctx.page.getByRole('checkbox', { name: 'Select readme.txt' }).waitFor();
  return res;
}

browserTest('the Link Sharing dialog lists the assets and says mail is not configured', async () => {
  const res = await openDialog();
  const csp = res.headers()['content-security-policy'] || '';
  assert.match(csp, /script-src 'sha256-/, 'a hashed script');
  assert.doesNotMatch(csp, /unsafe-inline/);
  const page = ctx.page;
  assert.equal(await page.title(), 'Link Sharing');
  assert.match(await page.locator('header').innerText(), /Signed in as alice/);
  // Folders first, names as they are on disk; only what alice may read
  // (private/ is for admin: not even its name).
  const names = await page.locator('#assets tbody td.name').allInnerTexts();
  assert.deepEqual(names.slice(0, 3), ['empty folder', 'photos', 'press kit']);
  assert.ok(!names.includes('private'), `private/ is not offered: ${names}`);
  assert.ok(names.includes('café menu.txt') && names.includes('Q3 "final" report.pdf'),
    `odd names shown as they are: ${names}`);
  // The email part: a plain notice, the inputs there but disabled.
  const notice = page.locator('#mail-off');
  assert.ok(await notice.isVisible(), 'the notice shows');
  assert.match(await notice.innerText(), /Mail is not configured on this server/);
  for (const label of ['Recipients', 'Subject', 'Message']) {
    assert.ok(await page.getByLabel(label, { exact: true }).isDisabled(), `${label} is disabled`);
  }
  // Expiry: the configured default (one day) is filled in.
  const exp = new Date(await page.getByLabel('Expiration date and time').inputValue());
  const hours = (exp - Date.now()) / 3600e3;
  assert.ok(hours > 23 && hours <= 24, `default expiry is a day ahead (${hours} h)`);
  assert.match(await page.locator('#expires-hint').innerText(), /at most 30 days/);
  assert.ok(await page.getByLabel('Allow download of original file').isChecked());
  await screenshot('20-sharer-dialog');
  await assertAccessible('20-sharer-dialog');
  assertNoProblems();
});

browserTest('a folder alice may not read is not offered; the API refuses it in words', async () => {
  await openDialog();
  const page = ctx.page;
  assert.equal(await page.getByRole('button', { name: 'Open folder private' }).count(), 0,
    'no way into private/');
  const res = await page.evaluate(async () => {
    const r = await fetch('api/assets?path=private');
    return { status: r.status, body: await r.json() };
  });
  assert.equal(res.status, 403);
  assert.equal(res.body.error, 'You do not have access to this folder.');
  // The browser logs the API's 403 itself; that one is expected.
  assertNoProblems([/status of 403/]);
});

browserTest('an expiry beyond the maximum shows the API\'s sentence', async () => {
  await openDialog();
  const page = ctx.page;
  await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
  await page.getByLabel('Expiration date and time').fill(localValue(inDays(40)));
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const err = page.locator('#share-error');
  await err.filter({ hasText: /\S/ }).waitFor();
  assert.match(await err.innerText(), /too far ahead: links may last at most 30 days/);
  assert.ok(await page.locator('#result').isHidden(), 'no link was made');
  assertNoProblems([/status of 400/]);
});

browserTest('share a file and a folder through the dialog, copy the link', async () => {
  await openDialog();
  const page = ctx.page;
  // Browse: photos / 2026, pick cat.jpg; back to the top, pick press kit.
  await page.getByRole('button', { name: 'Open folder photos' }).click();
  await page.getByRole('button', { name: 'Open folder 2026' }).click();
  await page.getByRole('checkbox', { name: 'Select cat.jpg' }).check();
  const crumbs = page.getByRole('navigation', { name: 'Folders' });
  assert.equal(await crumbs.locator('[aria-current="page"]').innerText(), '2026');
  await screenshot('21-sharer-browse');
  await crumbs.getByRole('button', { name: 'All assets' }).click();
  await page.getByRole('checkbox', { name: 'Select press kit' }).check();
  assert.deepEqual(
    (await page.locator('#picked li').allInnerTexts()).map((t) => t.replace(/\s*Remove$/, '')),
    ['photos/2026/cat.jpg', 'press kit/']);
  // Keyboard: the expiry field takes a typed value.
  const expires = localValue(inDays(2));
  await page.getByLabel('Expiration date and time').fill(expires);
  const created = page.waitForResponse((r) => r.url().endsWith('/linkshare/api/shares')
    && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const answer = await (await created).json();

  const link = page.getByLabel('Share Link');
  await link.waitFor();
  const url = await link.inputValue();
  assert.match(url, /\/linkshare\.html\?sh=[A-Za-z0-9_-]{43}$/, 'the link is in the Share Link field');
  assert.ok(await link.getAttribute('readonly') !== null, 'read-only');
  assert.match(await page.locator('#confirmation').innerText(),
    /^Shared 2 items\. The link works until \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
  await ctx.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.locator('#copy-status', { hasText: /\S/ }).waitFor();
  assert.equal(await page.locator('#copy-status').innerText(), 'Copied.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url,
    'the clipboard holds the link');
  await screenshot('22-sharer-link');
  await assertAccessible('22-sharer-link');
  assertNoProblems();
  // The API's answer to the page: its id finds the row in Shared Links.
  assert.equal(answer.url, url, 'the field holds the link the API made');
  assert.deepEqual(answer.items.map((i) => i.path), ['photos/2026/cat.jpg', 'press kit']);
  assert.equal(answer.expires, isoOf(expires), 'the chosen expiry was sent');
  shared = { url, id: answer.id, expires: answer.expires };

  // The recipients' page behind the link shows both items.
  const res = await page.goto(url);
  assert.equal(res.status(), 200);
  assert.deepEqual((await listedNames()).sort(), ['cat.jpg', 'press kit']);
  await screenshot('23-sharer-link-opened');
  assertNoProblems();
});

browserTest('a collection can be shared instead of picked files', async () => {
  const made = await api('POST', '/linkshare/api/collections',
    { name: 'Press pack "2026"', paths: ['press kit/logo.png', 'readme.txt'] });
  assert.equal(made.status, 201, made.text);
  await openDialog();
  const page = ctx.page;
  await page.getByLabel('Or share a collection').selectOption({ label: 'Press pack "2026" (2 items)' });
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.locator('#confirmation', { hasText: 'Shared 2 items' }).waitFor();
  const mine = (await api('GET', '/linkshare/api/shares')).json.shares;
  const fromIt = mine.filter((s) => s.collection === made.json.id);
  assert.equal(fromIt.length, 1, 'one share from the collection');
  assert.deepEqual(fromIt[0].items.map((i) => i.path), ['press kit/logo.png', 'readme.txt']);
  // "share something else" empties the dialog for the next one.
  await page.getByRole('button', { name: 'share something else' }).click();
  assert.ok(await page.locator('#result').isHidden());
  assert.equal(await page.getByLabel('Share Link').inputValue(), '');
  assertNoProblems();
});

// Mail does not exist on this server yet, so its settings answer is
// stubbed here (mail on, example.com the organisation's domain) to drive
// the email part as it will work; the earlier-recipients answer is
// stubbed too (the API's own suggestions are tested in t/085_sharer.t).
// The share itself goes to the real API, which refuses recipients.
browserTest('with mail on: recipients, suggestions, External User, subject and message', async () => {
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
    assert.ok(await page.locator('#mail-off').isHidden(), 'no "not configured" notice');
    const input = page.getByLabel('Recipients', { exact: true });
    assert.ok(await input.isEnabled());
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
      ['bob@partner.org', 'External User'], ['carol@mail.example.com', '']],
      'several addresses; outside example.com (subdomains are inside) is External User');
    await input.fill('not an address');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    assert.equal(await page.locator('#share-error').innerText(), '"not" is not an email address.');
    await input.fill('');
    assert.equal(await page.locator('#share-error').innerText(), '', 'typing clears it');
    await page.getByRole('button', { name: 'Remove carol@mail.example.com' }).click();
    assert.equal((await chips()).length, 2, 'a recipient is removed');
    await page.getByLabel('Subject').fill('Our "press" kit');
    await page.getByLabel('Message').fill('Hello <b>there</b>');
    await page.getByRole('checkbox', { name: 'Select readme.txt' }).check();
    await screenshot('28-sharer-dialog-mail');

    const sent = page.waitForRequest((rq) => rq.url().endsWith('/linkshare/api/shares')
      && rq.method() === 'POST');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const body = (await sent).postDataJSON();
    assert.deepEqual(body.recipients, ['ann@example.com', 'bob@partner.org']);
    assert.equal(body.subject, 'Our "press" kit');
    assert.equal(body.message, 'Hello <b>there</b>');
    // This server cannot send mail: the API says so, and the page shows it.
    const err = page.locator('#share-error');
    await err.filter({ hasText: 'email is not set up' }).waitFor();
    assert.ok(await page.locator('#result').isHidden(), 'no link was made');
    assertNoProblems([/status of 400/]);
  } finally {
    await page.unroute('**/linkshare/api/settings');
    await page.unroute('**/linkshare/api/recipients?*');
  }
});

async function linkRow() {
  const row = ctx.page.locator(`#links tbody tr[data-id="${shared.id}"]`);
  await row.waitFor();
  assert.match(await row.locator('td[data-label="Items"]').innerText(),
    /^photos\/2026\/cat\.jpg\npress kit\/$/);
  return row;
}

browserTest('Shared Links lists the link; its expiry changes', async () => {
  assert.ok(shared, 'the dialog test made a link');
  const res = await ctx.page.goto(LINKS);
  assert.equal(res.status(), 200);
  const page = ctx.page;
  assert.equal(await page.title(), 'Shared Links');
  assert.ok(await page.locator('#all-toggle').isHidden(), 'alice is no admin: no "all" toggle');
  const row = await linkRow();
  const cell = (label) => row.locator(`td[data-label="${label}"]`);
  assert.equal(await cell('State').innerText(), 'active');
  assert.equal(await cell('Expires').innerText(),
    shared.expires.slice(0, 16).replace('T', ' ') + ' UTC');
  assert.equal(await cell('Recipients').innerText(), 'None');
  assert.equal(await cell('Downloads').innerText(), '0');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 1024, `the list fits the window (${wide}px wide)`);
  await screenshot('24-shared-links');
  await assertAccessible('24-shared-links');

  const later = localValue(inDays(5));
  await row.getByLabel('New expiry').fill(later);
  await row.getByRole('button', { name: 'Change expiry' }).click();
  await page.locator('#links-status', { hasText: 'The link now expires' }).waitFor();
  assert.equal(await (await linkRow()).locator('td[data-label="Expires"]').innerText(),
    isoOf(later).slice(0, 16).replace('T', ' ') + ' UTC');
  const stored = await api('GET', `/linkshare/api/shares/${shared.id}`);
  assert.equal(stored.json.expires, isoOf(later), 'the new expiry is stored');
  assertNoProblems();
});

browserTest('Unshare asks first, then the link answers 410', async () => {
  const page = ctx.page;
  await page.goto(LINKS);
  let row = await linkRow();
  // Dismissing the question changes nothing.
  page.once('dialog', (d) => d.dismiss());
  await row.getByRole('button', { name: 'Unshare' }).click();
  assert.equal(await row.locator('td[data-label="State"]').innerText(), 'active');
  assert.equal((await fetch(shared.url)).status, 200, 'the link still works');

  let question = '';
  page.once('dialog', (d) => { question = d.message(); d.accept(); });
  await row.getByRole('button', { name: 'Unshare' }).click();
  await page.locator('#links-status', { hasText: 'unshared' }).waitFor();
  assert.match(question, /Unshare this link\?/);
  row = await linkRow();
  assert.equal(await row.locator('td[data-label="State"]').innerText(), 'revoked');
  assert.equal(await row.getByRole('button', { name: 'Unshare' }).count(), 0,
    'a revoked link has no actions');
  assert.equal((await fetch(shared.url)).status, 410, 'the link answers 410');
  await screenshot('25-shared-links-unshared');
  assertNoProblems();
});

browserTest('the dialog works from the keyboard', async () => {
  await openDialog();
  const page = ctx.page;
  await page.getByRole('button', { name: 'Open folder press kit' }).focus();
  await page.keyboard.press('Enter');
  const box = page.getByRole('checkbox', { name: 'Select notes.txt' });
  await box.focus();
  await page.keyboard.press('Space');
  assert.ok(await box.isChecked(), 'Space ticks a checkbox');
  assert.equal((await page.locator('#picked li').allInnerTexts()).length, 1);
  await page.getByRole('button', { name: 'Remove press kit/notes.txt' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#picked li').count(), 0, 'Enter on Remove un-picks it');
  assert.ok(!(await box.isChecked()), '... and clears its checkbox');
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
    const row = page.locator(`#links tbody tr[data-id="${shared.id}"]`);
    await row.waitFor();
    assert.match(await row.locator('td[data-label="Items"]').innerText(), /Shared by alice/);
    await screenshot('29-shared-links-admin');
    assertNoProblems();
  } finally {
    await page.unroute(`${BASE}/linkshare/**`);
  }
});

browserTest('both pages fit a phone screen', async () => {
  const page = ctx.page;
  await page.setViewportSize({ width: 375, height: 740 });
  try {
    for (const [url, shot] of [[DIALOG, '26-sharer-dialog-phone'], [LINKS, '27-shared-links-phone']]) {
      await page.goto(url);
      await page.locator(url === DIALOG ? '#assets tbody tr' : '#links tbody tr').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(overflow <= 375, `${url}: no sideways scrolling (${overflow}px wide)`);
      await screenshot(shot);
    }
    assertNoProblems();
  } finally {
    await page.setViewportSize({ width: 1024, height: 720 });
  }
});

// The test server has no SMTP server (t/090 tests mail itself): the list's
// answers are stubbed to show a failed mail, and the Resend request the
// page makes is checked as it leaves the browser.
browserTest('Shared Links shows a failed mail with its reply and resends it', async () => {
  const page = ctx.page;
  const share = {
    id: '0123456789abcdef', owner: 'alice', created: '2026-11-28T00:00:00Z',
    expires: '2099-01-01T00:00:00Z', allow_original: true, state: 'active', downloads: 0,
    items: [{ path: 'readme.txt', kind: 'file', available: true }],
    recipients: [
      { email: 'bob@example.com', external: false, mail_state: 'failed',
        mail_reply: '550 5.1.1 mailbox unavailable', mail_attempts: 1 },
      { email: 'carol@partner.example', external: true, mail_state: 'queued',
        mail_reply: null, mail_attempts: 0 }],
  };
  let resent = null;
  await page.route('**/linkshare/api/shares', (route) => route.fulfill({ json: { shares: [share] } }));
  await page.route('**/linkshare/api/shares/0123456789abcdef/resend', (route) => {
    resent = { method: route.request().method(), body: route.request().postDataJSON() };
    share.recipients[0] = { ...share.recipients[0], mail_state: 'queued', mail_reply: null };
    return route.fulfill({ status: 202, json: share });
  });
  try {
    await page.goto(LINKS);
    const cell = page.locator('#links tbody tr[data-id="0123456789abcdef"] td[data-label="Recipients"]');
    await cell.waitFor();
    assert.match(await cell.innerText(), /bob@example\.com \(failed: 550 5\.1\.1 mailbox unavailable\)/);
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
