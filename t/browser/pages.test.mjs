// The recipient's pages in a real browser: the Link Share page, a folder and
// its breadcrumbs, the preview page, single-file downloads, a withdrawn link
// and the expired page. Server-rendered, so no JavaScript of ours runs yet;
// every page must load without console errors or CSP violations.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  BASE, ctx, useBrowser, browserTest, createShare, revokeShare, assetBytes, api,
  assertNoProblems, screenshot, listedNames, rowOf,
} from './lib/harness.mjs';

useBrowser();

// Names with a space, quotes, and non-ASCII letters, as on disk.
const ITEMS = ['press kit', 'photos/2026/cat.jpg', 'café menu.txt',
  'Q3 "final" report.pdf', '日本語.txt', 'readme.txt'];
const SHOWN = ['press kit', 'cat.jpg', 'café menu.txt', 'Q3 "final" report.pdf',
  '日本語.txt', 'readme.txt'];
const PRESS_KIT = ['brochure.pdf', 'logo.png', 'notes.txt', 'product video.mp4'];

let share; // originals allowed, so downloads are the asset files themselves

async function openShare() {
  const res = await ctx.page.goto(share.url);
  assert.equal(res.status(), 200, 'the share page answers 200');
  return res;
}

// The preview page of a listed file, as its own page (a click would open
// it as an overlay over the listing: t/browser/overlay.test.mjs).
async function openPreview(name, page = ctx.page) {
  const href = await page.getByRole('link', { name, exact: true }).first().getAttribute('href');
  await page.goto(href);
  await page.waitForURL(/\/linksharepreview\.html\?/);
}

browserTest('the Link Share page lists every shared item by its own name', async () => {
  share = await createShare(ITEMS, { allow_original: true });
  const res = await openShare();
  const csp = res.headers()['content-security-policy'] || '';
  assert.match(csp, /default-src 'none'/, 'a strict Content-Security-Policy');
  const page = ctx.page;
  assert.equal(await page.title(), '6 items', 'the title: how many items');
  assert.equal(await page.locator('h1').innerText(), '6 items');
  assert.deepEqual((await listedNames()).sort(), [...SHOWN].sort());
  assert.match(await rowOf('press kit').innerText(), /Folder/);
  assert.match(await page.locator('header').innerText(), /Shared by alice/);
  await screenshot('01-share-page');
  assertNoProblems();
});

browserTest('a folder opens, and its breadcrumb leads back to the share', async () => {
  await openShare();
  const page = ctx.page;
  await page.getByRole('link', { name: 'press kit', exact: true }).click();
  await page.waitForURL(/[?&]path=press(%20|\+)kit(&|$)/);
  assert.equal(await page.locator('h1').innerText(), 'press kit');
  assert.deepEqual(await listedNames(), PRESS_KIT);
  const crumbs = page.getByRole('navigation', { name: 'Folders' });
  assert.equal(await crumbs.locator('[aria-current="page"]').innerText(), 'press kit');
  await screenshot('02-folder');
  assertNoProblems();

  await crumbs.getByRole('link', { name: 'All shared items' }).click();
  await page.waitForURL((u) => !u.searchParams.has('path'));
  assert.deepEqual((await listedNames()).sort(), [...SHOWN].sort());
  assertNoProblems();
});

browserTest('the preview of an image shows the image', async () => {
  await openShare();
  const page = ctx.page;
  await openPreview('cat.jpg');
  assert.equal(await page.locator('h1').innerText(), 'cat.jpg');
  const img = page.locator('main .preview img');
  await img.waitFor();
  await page.waitForFunction((el) => el.complete, await img.elementHandle());
  const size = await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]);
  assert.ok(size[0] > 0 && size[1] > 0, `the image decoded (${size})`);
  assert.equal(await img.getAttribute('alt'), 'cat.jpg');
  await screenshot('03-preview-image');
  assertNoProblems();

  // An image inside a shared folder; "Back to the folder" returns to it.
  await page.goBack();
  await page.getByRole('link', { name: 'press kit', exact: true }).click();
  await openPreview('logo.png');
  const logo = page.locator('main .preview img');
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0,
    await logo.elementHandle());
  await page.getByRole('link', { name: 'Back to the folder' }).click();
  await page.waitForURL(/\/linkshare\.html\?/);
  assert.deepEqual(await listedNames(), PRESS_KIT);
  assertNoProblems();
});

browserTest('a name with quotes keeps them on its preview page', async () => {
  await openShare();
  const page = ctx.page;
  await openPreview('Q3 "final" report.pdf');
  assert.equal(await page.locator('h1').innerText(), 'Q3 "final" report.pdf');
  assert.equal(await page.title(), 'Q3 "final" report.pdf');
  // The PDF opens in Chromium's own viewer inside the sandboxed frame.
  const frame = page.locator('main .preview iframe');
  assert.equal(await frame.getAttribute('title'), 'Q3 "final" report.pdf');
  await page.waitForFunction(() => true); // let the frame start
  const viewer = async () => page.frames().some((f) => f.url().startsWith('chrome-extension://'));
  for (let i = 0; i < 50 && !(await viewer()); i++) await page.waitForTimeout(100);
  assert.ok(await viewer(), 'the browser\'s PDF viewer runs in the frame: '
    + page.frames().map((f) => f.url()).join(', '));
  const pdfFrame = page.frames().find((f) => /[?&]op=view(&|$)/.test(f.url()));
  assert.ok(pdfFrame, 'the frame loaded op=view');
  await page.waitForTimeout(1500); // let the viewer paint for the screenshot
  await screenshot('04-preview-pdf');
  assertNoProblems();
});

browserTest('text previews in place; previous and next walk the folder', async () => {
  await openShare();
  const page = ctx.page;
  await openPreview('café menu.txt');
  assert.equal(await page.locator('main pre.text').innerText(), 'Croissant 2.50\nCafé crème 3.00\n');
  await screenshot('04b-preview-text');

  await page.goto(share.url);
  await page.getByRole('link', { name: 'press kit', exact: true }).click();
  await openPreview('brochure.pdf');
  const pager = page.getByRole('navigation', { name: 'Files in this folder' });
  assert.match(await pager.innerText(), /File 1 of 4/);
  await pager.getByRole('link', { name: /logo\.png/ }).click();
  await page.waitForURL(/logo\.png/);
  assert.equal(await page.locator('h1').innerText(), 'logo.png');
  await pager.getByRole('link', { name: /notes\.txt/ }).click();
  await pager.getByRole('link', { name: /product video\.mp4/ }).click();
  assert.equal(await page.locator('h1').innerText(), 'product video.mp4');
  // As served: a video element playing the rendition ...
  const served = await (await page.request.get(page.url())).text();
  assert.match(served, /<video controls preload="metadata" src="[^"]*[?;]op=view&amp;/,
    'a video element plays the rendition');
  assert.equal(await pager.getByRole('link', { name: /→/ }).count(), 0, 'the last file has no next');
  // ... which the sample cannot be played from: the page says so rather
  // than showing a dead player (assets/preview.js).
  await page.waitForSelector('main .preview .cannot-play');
  assert.match(await page.locator('main .preview .cannot-play').innerText(), /cannot play this video/);
  assert.equal(await page.locator('main .preview video').count(), 0, 'no dead player');
  await screenshot('04c-preview-video');
  // The sample video is not playable: its media error is expected.
  assertNoProblems([/Failed to load resource|MEDIA_ERR|video/i]);
});

// Clicks the row's Download link and returns the finished download.
async function downloadFromRow(name) {
  const page = ctx.page;
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    rowOf(name).getByRole('link', { name: 'Download' }).click(),
  ]);
  assert.equal(await dl.failure(), null, `download of ${name} finished`);
  return dl;
}

browserTest('the Download link of a file delivers exactly its bytes', async () => {
  await openShare();
  for (const name of ['café menu.txt', '日本語.txt', 'Q3 "final" report.pdf']) {
    const dl = await downloadFromRow(name);
    const got = await readFile(await dl.path());
    assert.ok(got.equals(assetBytes(name)), `${name}: the bytes of the asset`);
    // Chromium saves `"` as `_`; every other character arrives as it is.
    assert.equal(dl.suggestedFilename(), name.replaceAll('"', '_'),
      `${name}: saved under its own name`);
  }
  // The preview page's own Download link.
  await openPreview('cat.jpg');
  const [dl] = await Promise.all([
    ctx.page.waitForEvent('download'),
    ctx.page.getByRole('link', { name: 'Download cat.jpg' }).click(),
  ]);
  const got = await readFile(await dl.path());
  assert.ok(got.equals(assetBytes('photos/2026/cat.jpg')), 'cat.jpg from its preview page');
  assertNoProblems();
});

browserTest('a withdrawn link shows the withdrawn page (410)', async () => {
  const gone = await createShare(['readme.txt']);
  const page = ctx.page;
  assert.equal((await page.goto(gone.url)).status(), 200, 'works before it is withdrawn');
  await revokeShare(gone.id);
  const res = await page.reload();
  assert.equal(res.status(), 410);
  assert.equal(await page.locator('h1').innerText(), 'This link was withdrawn');
  assert.match(await page.locator('main').innerText(), /shared by alice/i);
  await screenshot('05-withdrawn');
  // The main document's 410 is what a withdrawn link is: not a page error.
  assertNoProblems([/status of 410/]);
});

browserTest('a link past its expiry shows the expired page (410)', async () => {
  const soon = await createShare(['readme.txt']);
  const page = ctx.page;
  assert.equal((await page.goto(soon.url)).status(), 200, 'works before it expires');
  const expires = new Date(Date.now() + 2000).toISOString().replace(/\.\d+Z$/, 'Z');
  const r = await api('PATCH', `/linkshare/api/shares/${soon.id}`, { expires });
  assert.equal(r.status, 200, `shorten the expiry: ${r.text}`);
  await page.waitForTimeout(2500);
  const res = await page.reload();
  assert.equal(res.status(), 410);
  assert.equal(await page.locator('h1').innerText(), 'This link has expired');
  assertNoProblems([/status of 410/]);
});

browserTest('/linkexpired.html shows the expired page', async () => {
  const page = ctx.page;
  const res = await page.goto(`${BASE}/linkexpired.html`);
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('h1').innerText(), 'This link has expired');
  assert.match(await page.locator('main').innerText(), /share them again/);
  await screenshot('06-expired');
  assertNoProblems();
});
