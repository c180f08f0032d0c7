// The Link Share page's look and main interactions, as a recipient in New
// York sees them: the header (title, who shared it, when it expires in the
// recipient's time zone, relative, a warning under an hour), select and
// "queue this item" on hover, focus and touch, the selection summary,
// Download all (fits, too large), dark mode, a phone (sizes in the list,
// the sticky selection bar, no sideways scrolling), axe-core on every
// screen in light and dark, and the screenshots docs/SCREENS.md lists.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import os from 'node:os';
import readline from 'node:readline';
import { chromium } from 'playwright-core';
import {
  ASSET_ROOT, BASE, ctx, useBrowser, browserTest, createShare, revokeShare, api,
  assertNoProblems, screenshot, rowOf, assertAccessible,
} from './lib/harness.mjs';

useBrowser({ timezoneId: 'America/New_York', locale: 'en-US' });

const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 375, height: 812 };
let share; // fits one download: 6 files
const made = [];
process.on('exit', () => made.forEach((f) => fs.rmSync(f, { recursive: true, force: true })));

async function inboxJobs() {
  const page = ctx.page;
  const src = await page.locator('#ls-inbox').getAttribute('data-src');
  return page.evaluate(async (u) => (await (await fetch(u, { credentials: 'same-origin' })).json()).jobs, src);
}

async function noSidewaysScroll(what) {
  const [sw, iw] = await ctx.page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
  assert.ok(sw <= iw, `${what}: no sideways scrolling (${sw} > ${iw})`);
}

browserTest('the header says what is shared, by whom, and until when in local time', async () => {
  share = await createShare(['press kit', 'photos/2026/cat.jpg', 'readme.txt']);
  const page = ctx.page;
  await page.setViewportSize(WIDE);
  await page.goto(share.url);
  assert.equal(await page.locator('h1').innerText(), '3 items');
  const meta = page.locator('header .meta');
  assert.match(await meta.innerText(), /Shared by alice/);
  const time = meta.locator('time');
  const iso = await time.getAttribute('datetime');
  assert.equal(new Date(iso).getTime(), Date.parse(share.expires), 'datetime is the expiry');
  // Localized by the script: New York's zone, not the server's UTC.
  assert.match(await time.innerText(), /\((.*)(EST|GMT-5)\)$/, 'the expiry in the recipient\'s zone');
  assert.doesNotMatch(await time.innerText(), /UTC/);
  assert.match(await meta.locator('.rel').innerText(), /^in 2[34] hours$/, 'relative');
  assert.equal(await page.locator('.expiry.soon').count(), 0, 'no warning a day ahead');
  await screenshot('r01-cards-wide-light');
  assertNoProblems();
});

browserTest('under an hour left, the expiry is a warning', async () => {
  const s = await createShare(['readme.txt']);
  const expires = new Date(Date.now() + 30 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const r = await api('PATCH', `/linkshare/api/shares/${s.id}`, { expires });
  assert.equal(r.status, 200, r.text);
  const page = ctx.page;
  await page.goto(s.url);
  assert.equal(await page.locator('h1').innerText(), 'readme.txt', 'one item: its name');
  const soon = page.locator('.expiry.soon');
  await soon.waitFor();
  assert.match(await soon.innerText(), /Expires in (29|30) minutes/);
  assert.ok(await soon.isVisible(), 'shown');
  await screenshot('r02-expires-soon');
  assertNoProblems();
});

browserTest('a card offers select and "queue this item" on hover and on focus', async () => {
  const page = ctx.page;
  await page.goto(share.url);
  const card = rowOf('readme.txt');
  const opacity = (l) => l.evaluate((e) => getComputedStyle(e).opacity);
  await page.mouse.move(0, 0);
  assert.equal(await opacity(card.locator('button.qone')), '0', 'quiet until wanted');
  await card.hover();
  await page.waitForTimeout(200);
  assert.equal(await opacity(card.locator('input[name=path]')), '1', 'hover: select');
  assert.equal(await opacity(card.locator('button.qone')), '1', 'hover: queue this item');
  await screenshot('r03-card-hover');
  // Keyboard: focus reaches the card's checkbox; its controls appear.
  await page.mouse.move(0, 0);
  await rowOf('cat.jpg').locator('input[name=path]').focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.className);
  assert.equal(focused, 'qone', 'Tab goes from select to queue this item');
  await page.waitForTimeout(200);
  assert.equal(await opacity(rowOf('cat.jpg').locator('button.qone')), '1', 'focus: shown');
  assertNoProblems();
});

browserTest('Queue this item queues exactly that item', async () => {
  const page = ctx.page;
  await page.goto(share.url);
  await rowOf('cat.jpg').locator('input[name=path]').check(); // another selection stays
  const before = (await inboxJobs()).length;
  await rowOf('readme.txt').hover();
  await rowOf('readme.txt').getByRole('button', { name: 'Queue a download of readme.txt' }).click();
  await page.locator('#ls-count', { hasText: /Queued|download has started/ }).waitFor();
  const jobs = await inboxJobs();
  assert.equal(jobs.length, before + 1, 'one job more');
  const job = jobs.find((j) => j.files_total === 1 && j.bytes_total === 39);
  assert.ok(job, `a job of readme.txt alone: ${JSON.stringify(jobs)}`);
  assert.ok(await rowOf('cat.jpg').locator('input[name=path]').isChecked(), 'the selection is left alone');
  assertNoProblems();
});

browserTest('the selection bar says how much is selected, folders included', async () => {
  const page = ctx.page;
  await page.goto(`${share.url}&view=list`);
  await rowOf('readme.txt').locator('input[name=path]').check();
  const queue = page.getByRole('button', { name: 'Queue Download' });
  await queue.waitFor({ state: 'visible' });
  assert.match(await page.locator('#ls-count').innerText(), /^1 item selected, 39 bytes\.$/);
  const kit = fs.readdirSync(path.join(ASSET_ROOT, 'press kit'))
    .reduce((n, f) => n + fs.statSync(path.join(ASSET_ROOT, 'press kit', f)).size, 0);
  await rowOf('press kit').locator('input[name=path]').check();
  const want = ((kit + 39) / 1024).toFixed(1);
  assert.match(await page.locator('#ls-count').innerText(),
    new RegExp(`^2 items selected, ${want.replace('.', '\\.')} KB\\.$`), 'the folder\'s size counts');
  // One primary action: Queue Download now, Download all steps back.
  const bg = (l) => l.evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.notEqual(await bg(queue), await bg(page.locator('#ls-dlall')), 'Queue Download is the primary now');
  await screenshot('r04-list-selection-wide-light');
  assertNoProblems();
});

browserTest('Download all: the size up front, one click queues the whole share', async () => {
  const page = ctx.page;
  await page.goto(share.url);
  const total = page.locator('#ls-total');
  assert.match(await total.innerText(), /^6 files, [\d.]+ KB$/, 'the size before anyone clicks');
  const before = (await inboxJobs()).length;
  await page.getByRole('button', { name: 'Download all' }).click();
  await page.locator('#ls-count', { hasText: /Queued|download has started/ }).waitFor();
  const jobs = await inboxJobs();
  assert.equal(jobs.length, before + 1);
  assert.ok(jobs.some((j) => j.files_total === 6), 'a job of all six files');
  assertNoProblems();
});

browserTest('a share over the limit says so before anyone clicks, naming it', async () => {
  const dir = path.join(ASSET_ROOT, 'browser-seven');
  made.push(dir);
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= 7; i++) fs.writeFileSync(path.join(dir, `note ${i}.txt`), `note ${i}\n`);
  const s = await createShare(['browser-seven', 'readme.txt']);
  const page = ctx.page;
  await page.goto(s.url);
  assert.equal(await page.getByRole('button', { name: 'Download all' }).count(), 0, 'no Download all');
  assert.match(await page.locator('#ls-limit').innerText(),
    /more than the 6 files one download may hold/, 'the limit, in words');
  await screenshot('r05-too-large');
  assertNoProblems();
});

browserTest('dark mode: the page follows the system, and stays accessible', async () => {
  const page = ctx.page;
  await page.emulateMedia({ colorScheme: 'dark' });
  try {
    await page.setViewportSize(WIDE);
    await page.goto(share.url);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(18, 19, 22)', 'a dark background');
    await screenshot('r06-cards-wide-dark');
    await page.goto(`${share.url}&view=list`);
    await screenshot('r07-list-wide-dark');
    await page.goto(`${share.url}&view=card`);
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
  }
  assertNoProblems();
});

browserTest('on a phone: sizes in the list, the bar stays on screen, nothing scrolls sideways', async () => {
  const page = ctx.page;
  await page.setViewportSize(PHONE);
  try {
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${share.url}&view=card`);
      await noSidewaysScroll(`cards, ${scheme}`);
      await screenshot(`r08-cards-phone-${scheme}`);
      await page.goto(`${share.url}&view=list`);
      await noSidewaysScroll(`list, ${scheme}`);
      const size = rowOf('readme.txt').locator('td.num').first();
      assert.ok(await size.isVisible(), 'the size column is shown');
      assert.equal(await size.innerText(), '39 bytes');
      await screenshot(`r09-list-phone-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    const dir = path.join(ASSET_ROOT, 'browser-phone');
    made.push(dir);
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 1; i <= 12; i++) fs.writeFileSync(path.join(dir, `page ${i}.txt`), `page ${i}\n`);
    const s = await createShare(['browser-phone']);
    await page.goto(`${s.url}&path=browser-phone&view=card`);
    await rowOf('page 1.txt').locator('input[name=path]').check();
    // Scrolled to the last card: the bar with Queue Download is still there.
    await page.evaluate(() => {
      const f = document.getElementById('ls-select');
      window.scrollTo(0, f.offsetTop + f.offsetHeight - window.innerHeight);
    });
    await page.waitForTimeout(100);
    const box = await page.locator('#ls-bar').boundingBox();
    assert.ok(box && box.y >= -1 && box.y + box.height <= PHONE.height,
      `the selection bar is on screen (${JSON.stringify(box)})`);
    assert.ok(await page.getByRole('button', { name: 'Queue Download' }).isVisible());
    // What the phone shows (not the whole page): the bar, still there.
    await page.screenshot({ path: path.join(process.env.LS_SHOT_DIR || 'build/browser',
      'r10-folder-phone-scrolled.png') });
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(WIDE);
  }
  assertNoProblems();
});

browserTest('on a touch screen the card controls are visible without hovering', async () => {
  const browser = await chromium.launch({
    executablePath: process.env.LS_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(share.url);
    const card = page.locator('main .items .item').filter({
      has: page.locator('.name').getByText('readme.txt', { exact: true }),
    });
    const opacity = (l) => l.evaluate((e) => getComputedStyle(e).opacity);
    assert.equal(await opacity(card.locator('input[name=path]')), '1', 'select shown');
    assert.equal(await opacity(card.locator('button.qone')), '1', 'queue this item shown');
    await card.locator('button.qone').tap();
    await page.locator('#ls-count', { hasText: /Queued|download has started/ }).waitFor();
    await page.screenshot({ path: path.join(process.env.LS_SHOT_DIR || 'build/browser', 'r11-touch-phone.png') });
    await context.close();
  } finally {
    await browser.close();
  }
});

browserTest('the error pages look like the page and say whom to ask', async () => {
  const page = ctx.page;
  const gone = await createShare(['readme.txt']);
  await revokeShare(gone.id);
  const screens = [
    ['withdrawn', gone.url, 410, /This link was withdrawn/, /shared by alice/i],
    ['expired', `${BASE}/linkexpired.html`, 200, /This link has expired/, /share them again/],
    ['bad link', `${BASE}/linkshare.html?sh=${'A'.repeat(43)}`, 404, /This link does not work/, /copied the whole link/],
    ['not in the share', `${share.url}&path=nothing.txt`, 404, /Not found/, /Back to the shared files/],
  ];
  for (const [what, url, status, title, body] of screens) {
    for (const [vp, size] of [['wide', WIDE], ['phone', PHONE]]) {
      for (const scheme of ['light', 'dark']) {
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme: scheme });
        const res = await page.goto(url);
        assert.equal(res.status(), status, `${what}: ${status}`);
        assert.match(await page.locator('h1').innerText(), title);
        assert.match(await page.locator('main').innerText(), body);
        if (what !== 'bad link') {
          assert.doesNotMatch(await page.locator('main').innerText(), /copied the whole link/,
            `${what}: no blaming the copy`);
        }
        await noSidewaysScroll(`${what} ${vp} ${scheme}`);
        await assertAccessible(`${what} (${vp}, ${scheme})`);
        await screenshot(`r12-error-${what.replace(/ /g, '-')}-${vp}-${scheme}`);
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(WIDE);
  assertNoProblems([/status of (404|410)/]);
});

browserTest('axe-core: 0 violations on the Link Share page, cards and list, light and dark', async () => {
  const page = ctx.page;
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const view of ['card', 'list']) {
      for (const size of [WIDE, PHONE]) {
        await page.setViewportSize(size);
        await page.goto(`${share.url}&view=${view}`);
        await assertAccessible(`${view} ${size.width} ${scheme}`);
        // With a card's controls showing and a selection.
        await rowOf('readme.txt').locator('input[name=path]').check();
        await rowOf('readme.txt').hover();
        await assertAccessible(`${view} ${size.width} ${scheme}, with a selection`);
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(WIDE);
  assertNoProblems();
}, { timeout: 90_000 });

// A second httpd like the test server with LinkShareBrand (an SVG logo, a
// teal accent): started by t/browser/lib/brand-server.pl, stopped when its
// stdin closes.
async function brandServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-brand-'));
  const child = spawn('perl', ['t/browser/lib/brand-server.pl', dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`brand server exited ${c}`)));
  });
  return {
    base: line.trim(),
    stop: () => new Promise((resolve) => {
      child.once('exit', () => { fs.rmSync(dir, { recursive: true, force: true }); resolve(); });
      child.stdin.end();
    }),
  };
}

browserTest('LinkShareBrand: the name, the logo and the accent on the page and the error pages', async () => {
  const srv = await brandServer();
  const page = ctx.page;
  try {
    const auth = 'Basic ' + Buffer.from('alice:alicepw').toString('base64');
    const res = await fetch(`${srv.base}/linkshare/api/shares`, {
      method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ paths: ['press kit', 'photos/2026/cat.jpg', 'readme.txt'] }),
    });
    assert.equal(res.status, 201);
    const { url } = await res.json();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [vp, size] of [['wide', WIDE], ['phone', PHONE]]) {
        await page.setViewportSize(size);
        await page.goto(url);
        assert.equal(await page.locator('.brand-name').innerText(), 'Acme Studio');
        const logo = page.locator('.brand img.logo');
        await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await logo.elementHandle());
        const accent = await page.locator('#ls-dlall').evaluate((e) => getComputedStyle(e).backgroundColor);
        assert.equal(accent, 'rgb(15, 118, 110)', 'the primary button wears the accent');
        await noSidewaysScroll(`branded ${vp} ${scheme}`);
        await assertAccessible(`branded page (${vp}, ${scheme})`);
        await screenshot(`r13-brand-${vp}-${scheme}`);
      }
    }
    await page.setViewportSize(WIDE);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${srv.base}/linkshare.html?sh=${'B'.repeat(43)}`);
    assert.equal(await page.locator('.brand-name').innerText(), 'Acme Studio', 'the error page too');
    await assertAccessible('branded error page');
    await screenshot('r14-brand-error-wide-light');
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(WIDE);
    await srv.stop();
  }
  assertNoProblems([/status of 404/]);
}, { timeout: 60_000 });
