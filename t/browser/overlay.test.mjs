// The preview overlay (assets/preview.js): a file opens over the Link Share
// page with "File N of M"; the arrow keys, the buttons and a swipe move
// through the folder; Escape, the close button and the browser's Back
// close it and give focus back; Download is a button; a link withdrawn
// meanwhile shows the withdrawn page; a video the browser cannot play says
// so (in the overlay and on the preview page); axe-core in light and dark
// at both widths; screenshots ov-*.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ASSET_ROOT, ctx, useBrowser, browserTest, createShare, revokeShare,
  assertNoProblems, screenshot, assertAccessible,
} from './lib/harness.mjs';

useBrowser({ timezoneId: 'America/New_York', locale: 'en-US' });

const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 375, height: 812 };
const FILES = ['café menu.txt', "it's here.txt", 'readme.txt', '日本語.txt'];
const dir = path.join(ASSET_ROOT, `overlay-${process.pid}`);
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const dialog = () => ctx.page.locator('dialog.overlay');
const isOpen = () => ctx.page.evaluate(() => !!document.querySelector('dialog.overlay')?.open);

async function openFirst(share, name) {
  const page = ctx.page;
  await page.goto(share.url);
  await page.evaluate(() => { window.__samePage = true; });
  const link = page.locator('a.name', { hasText: name });
  await link.click();
  await page.waitForFunction(() => document.querySelector('dialog.overlay')?.open);
  return link;
}

browserTest('a file opens over the page; arrows move, Escape closes and gives focus back', async () => {
  const share = await createShare(FILES);
  const page = ctx.page;
  await page.setViewportSize(WIDE);
  const link = await openFirst(share, FILES[0]);
  assert.equal(await dialog().locator('h2').innerText(), FILES[0]);
  assert.equal(await dialog().locator('.ov-pos').innerText(), 'File 1 of 4');
  assert.match(page.url(), /\/linksharepreview\.html\?sh=.*path=caf/, 'the address is the preview\'s');
  assert.match(await dialog().locator('.ov-body pre.text').innerText(), /./, 'the text is shown');
  const dl = dialog().locator('a.ov-dl');
  assert.match(await dl.getAttribute('href'), /[?&]op=file(&|$)/, 'Download is the file');
  assert.equal(await dl.getAttribute('download'), '', '... as a download');
  assert.equal(await dialog().locator('.ov-prev').isVisible(), false, 'no previous file before the first');
  await screenshot('ov-01-text-wide-light');
  await assertAccessible('overlay, wide, light');

  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((n) => document.querySelector('#ov-title')?.textContent === n, FILES[1]);
  assert.equal(await dialog().locator('.ov-pos').innerText(), 'File 2 of 4');
  await dialog().locator('.ov-next').click();
  await page.waitForFunction((n) => document.querySelector('#ov-title')?.textContent === n, FILES[2]);
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((n) => document.querySelector('#ov-title')?.textContent === n, FILES[1]);
  assert.match(decodeURIComponent(page.url()), /path=it's here\.txt/, 'the address follows');

  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog.overlay')?.open);
  assert.match(page.url(), /\/linkshare\.html\?sh=/, 'the page\'s address again');
  assert.equal(await page.evaluate(() => window.__samePage), true, 'never left the page');
  assert.equal(await link.evaluate((a) => a === document.activeElement), true, 'focus back on the link');
  assertNoProblems();
});

browserTest('the close button and the browser\'s Back close it too; forward opens it again', async () => {
  const share = await createShare(FILES);
  const page = ctx.page;
  await openFirst(share, FILES[2]);
  await dialog().locator('.ov-close').click();
  await page.waitForFunction(() => !document.querySelector('dialog.overlay')?.open);
  await page.locator('a.name', { hasText: FILES[3] }).click();
  await page.waitForFunction(() => document.querySelector('dialog.overlay')?.open);
  assert.equal(await dialog().locator('.ov-next').isVisible(), false, 'no next file after the last');
  await page.goBack();
  await page.waitForFunction(() => !document.querySelector('dialog.overlay')?.open);
  assert.equal(await page.evaluate(() => window.__samePage), true, 'Back closed it without leaving');
  await page.goForward();
  await page.waitForFunction(() => document.querySelector('dialog.overlay')?.open);
  assert.equal(await dialog().locator('h2').innerText(), FILES[3]);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog.overlay')?.open);
  assertNoProblems();
});

browserTest('the preview address still opens the preview page itself, where arrows move too', async () => {
  const share = await createShare(FILES);
  const page = ctx.page;
  await openFirst(share, FILES[0]);
  const url = page.url();
  await page.goto(url);
  assert.equal(await page.locator('header h1').innerText(), FILES[0], 'the page itself');
  assert.equal(await isOpen(), false, 'no overlay on it');
  await page.keyboard.press('ArrowRight');
  await page.waitForURL(/path=it/);
  assert.equal(await page.locator('header h1').innerText(), FILES[1]);
  assertNoProblems();
});

browserTest('a link withdrawn while the overlay is open: the next file shows the withdrawn page', async () => {
  const share = await createShare(FILES);
  const page = ctx.page;
  await openFirst(share, FILES[0]);
  await revokeShare(share.id);
  await page.keyboard.press('ArrowRight');
  await page.waitForURL(/linksharepreview\.html/);
  await page.waitForFunction(() => !document.querySelector('dialog.overlay'));
  assert.match(await page.locator('body').innerText(), /withdrawn|no longer/i, 'says the link was withdrawn');
  assertNoProblems([/status of 410/]);
});

browserTest('a video the browser cannot play says so, in the overlay and on its page', async () => {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'a-broken.mp4'), Buffer.alloc(4096, 0x5a), { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'b-notes.txt'), 'notes\n', { mode: 0o644 });
  const share = await createShare([path.basename(dir)]);
  const page = ctx.page;
  await page.goto(`${share.url}&path=${encodeURIComponent(path.basename(dir))}`);
  await page.locator('a.name', { hasText: 'a-broken.mp4' }).click();
  await page.waitForFunction(() => document.querySelector('dialog.overlay')?.open);
  await page.waitForSelector('dialog.overlay .cannot-play', { timeout: 10_000 });
  assert.match(await dialog().locator('.cannot-play').innerText(), /cannot play this video/);
  assert.equal(await dialog().locator('video').count(), 0, 'no dead player');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog.overlay')?.open);
  await page.goto(await page.locator('a.name', { hasText: 'a-broken.mp4' }).getAttribute('href'));
  await page.waitForSelector('main .cannot-play', { timeout: 10_000 });
  assertNoProblems([/Failed to load resource/]);
});

browserTest('a swipe on a touch screen moves to the next file', async () => {
  const share = await createShare(FILES);
  const page = ctx.page;
  await page.setViewportSize(PHONE);
  await openFirst(share, FILES[0]);
  // Real touch events, through the DevTools protocol.
  const cdp = await page.context().newCDPSession(page);
  const swipe = async (from, to) => {
    const box = await page.locator('dialog.overlay .ov-body').boundingBox();
    const y = Math.round(box.y + box.height / 2);
    const at = (f) => [{ x: Math.round(box.x + box.width * f), y }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(from) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at((from + to) / 2) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(to) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  const titled = (n) => page.waitForFunction((t) => document.querySelector('#ov-title')?.textContent === t, n);
  await swipe(0.8, 0.2); // to the left: the next file
  await titled(FILES[1]);
  await swipe(0.8, 0.2);
  await titled(FILES[2]);
  await swipe(0.2, 0.8); // to the right: the previous one
  await titled(FILES[1]);
  await cdp.detach();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog.overlay')?.open);
  await page.setViewportSize(WIDE);
  assertNoProblems();
});

browserTest('the overlay on a phone and in dark mode: accessible, nothing sideways', async () => {
  const share = await createShare(['photos/2026/cat.jpg', 'readme.txt']);
  const page = ctx.page;
  for (const [w, size] of [['wide', WIDE], ['phone', PHONE]]) {
    for (const scheme of ['light', 'dark']) {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      await openFirst(share, 'cat.jpg');
      await page.waitForFunction(() => {
        const img = document.querySelector('dialog.overlay .ov-body img');
        return img && img.complete && img.naturalWidth > 0;
      });
      const [sw, iw] = await page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
      assert.ok(sw <= iw, `${w} ${scheme}: no sideways scrolling (${sw} > ${iw})`);
      await screenshot(`ov-02-image-${w}-${scheme}`);
      await assertAccessible(`overlay with an image, ${w}, ${scheme}`);
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('dialog.overlay')?.open);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(WIDE);
  assertNoProblems();
});
