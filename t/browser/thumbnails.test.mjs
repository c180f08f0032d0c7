// Generated thumbnails as a recipient sees them: a folder of 50 new photos
// nobody made renditions for is shared; the card view opens at once with
// type icons where thumbnails are still being made, and fills in with
// every photo's thumbnail (the workers make them; the page script looks
// again) without a reload.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ASSET_ROOT, ctx, useBrowser, browserTest, createShare, assertNoProblems, screenshot,
} from './lib/harness.mjs';

useBrowser();

const dir = `thumbs-${process.pid}`;
const abs = path.join(ASSET_ROOT, dir);
process.on('exit', () => fs.rmSync(abs, { recursive: true, force: true }));

function have(tool) {
  try { execFileSync('sh', ['-c', `command -v ${tool}`]); return true; } catch { return false; }
}

browserTest('a card view of 50 new photos fills with thumbnails', async (t) => {
  if (!have('vips')) { t.skip('vips is not installed (make deps)'); return; }
  fs.mkdirSync(abs, { mode: 0o755 });
  // 50 different 1600x1200 photos: a gradient, tinted per photo.
  execFileSync('vips', ['xyz', `${abs}/.xy.v`, '1600', '1200']);
  execFileSync('vips', ['extract_band', `${abs}/.xy.v`, `${abs}/.x.v`, '0']);
  execFileSync('vips', ['linear', `${abs}/.x.v`, `${abs}/.g.v`, '0.15', '10']);
  execFileSync('vips', ['bandjoin', `${abs}/.g.v ${abs}/.g.v ${abs}/.g.v`, `${abs}/.g3.v`]);
  for (let i = 1; i <= 50; i++) {
    const tint = `${(i * 37) % 200} ${(i * 71) % 200} ${(i * 13) % 200}`;
    const n = String(i).padStart(2, '0');
    execFileSync('vips', ['linear', `${abs}/.g3.v`, `${abs}/.c.v`, '0.5 0.5 0.5', tint]);
    execFileSync('vips', ['cast', `${abs}/.c.v`, `${abs}/.cu.v`, 'uchar']);
    execFileSync('vips', ['copy', `${abs}/.cu.v`, `${abs}/photo-${n}.jpg`]);
  }
  for (const f of fs.readdirSync(abs)) {
    if (f.startsWith('.')) fs.rmSync(path.join(abs, f));
    else fs.chmodSync(path.join(abs, f), 0o644);
  }
  const share = await createShare([dir]);
  const page = ctx.page;
  const started = Date.now();
  await page.goto(`${share.url}&path=${encodeURIComponent(dir)}&view=card`);
  assert.equal(await page.locator('main ul.cards .card img').count(), 50, 'an image on each of the 50 cards');
  // Every card shows a real thumbnail (not the 160x200 icon), in time.
  await page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll('main ul.cards .card img')];
    imgs.forEach((img) => img.scrollIntoView());
    return imgs.length === 50 && !document.querySelector('img[data-pending]')
      && imgs.every((img) => img.complete && img.naturalWidth > 0 && img.naturalWidth !== 160);
  }, null, { timeout: 100_000, polling: 500 });
  const dims = await page.evaluate(() => [...document.querySelectorAll('main ul.cards .card img')]
    .map((img) => [img.naturalWidth, img.naturalHeight]));
  assert.ok(dims.every(([w, h]) => w === 400 && h === 300), `every thumbnail 400x300 (${JSON.stringify(dims[0])})`);
  t.diagnostic(`all 50 thumbnails shown ${Date.now() - started} ms after the page was opened`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot('15-thumbnails');
  assertNoProblems();
}, { timeout: 120_000 });
