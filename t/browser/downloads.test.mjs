// Download jobs from a browser: queue a folder (JSON, the page's own
// protocol), watch the Download Inbox through this browser's cookie until the
// job is done, then download part 1 as a real download and check it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  ctx, useBrowser, browserTest, createShare, assertNoProblems, openBlankSameOrigin,
  browserFetch, sha256, screenshot,
} from './lib/harness.mjs';

useBrowser();

let share;

const queueInit = (paths) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ paths }),
});

browserTest('a queued folder reaches done and part 1 downloads as a ZIP', async () => {
  share = await createShare(['press kit', 'readme.txt']);
  const page = ctx.page;
  await page.goto(share.url);
  await openBlankSameOrigin();

  const q = await browserFetch(`${share.url}&op=queue`, queueInit(['press kit']));
  assert.equal(q.status, 202, `queue: ${q.text}`);
  assert.match(q.json.id, /^[0-9a-f]{16}$/);
  assert.equal(q.json.files_total, 4, 'the four files of press kit');
  const cookies = await ctx.context.cookies(share.url);
  const lsb = cookies.find((c) => c.name === 'lsb');
  assert.ok(lsb && lsb.httpOnly && lsb.sameSite === 'Strict', 'the inbox cookie is kept');

  // The inbox shows this browser's job; poll it as the page will.
  let job;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const inbox = await browserFetch(`${share.url}&op=inbox`);
    assert.equal(inbox.status, 200, `inbox: ${inbox.text}`);
    job = inbox.json.jobs.find((j) => j.id === q.json.id);
    assert.ok(job, 'the job is in this browser\'s inbox');
    if (!['queued', 'running'].includes(job.state) || Date.now() > deadline) break;
    await page.waitForTimeout(200);
  }
  assert.equal(job.state, 'done', `job state (error: ${job.error})`);
  assert.equal(job.files_done, 4);
  assert.ok(job.parts.length >= 1, 'at least one part');

  const part = job.parts[0];
  assert.equal(part.n, 1);
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate((url) => {
      const a = document.createElement('a');
      a.href = url;
      document.body.append(a);
      a.click();
    }, new URL(part.url, share.url).href),
  ]);
  assert.equal(await dl.failure(), null, 'the part downloaded');
  assert.match(dl.suggestedFilename(), /^press kit-[0-9a-f]{8}-part1-of-\d+\.zip$/);
  const bytes = await readFile(await dl.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a ZIP file');
  assert.equal(bytes.length, part.size, 'the size the inbox showed');
  assert.equal(sha256(bytes), part.sha256, 'the SHA-256 the inbox showed');
  assertNoProblems();
});

browserTest('a browser without the inbox cookie does not see the job', async () => {
  const jar = await ctx.context.cookies();
  await ctx.context.clearCookies();
  try {
    await openBlankSameOrigin();
    const inbox = await browserFetch(`${share.url}&op=inbox`);
    assert.equal(inbox.status, 200, `inbox: ${inbox.text}`);
    assert.deepEqual(inbox.json.jobs, []);
  } finally {
    await ctx.context.clearCookies();
    await ctx.context.addCookies(jar);
  }
  assertNoProblems();
});

// The page's own script may talk to our origin (connect-src 'self').
browserTest('the Link Share page itself may call op=queue', async () => {
  const page = ctx.page;
  await page.goto(share.url);
  const r = await page.evaluate(async (url) => {
    try {
      const res = await fetch(url, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ paths: ['readme.txt'] }),
      });
      return res.status;
    } catch (e) {
      return String(e);
    }
  }, `${share.url}&op=queue`);
  assert.equal(r, 202);
  assertNoProblems();
});

// A person ticks a folder and presses Queue Download: the form posts, the
// page comes back with the Download Inbox, which fills in by itself.
browserTest('select, Queue Download, and the inbox shows the parts', async () => {
  const page = ctx.page;
  await page.goto(share.url);
  await page.check('input[name=path][value="press kit"]');
  await page.waitForFunction(() =>
    document.getElementById('ls-count').textContent.includes('1 item selected'));
  // The script queues without leaving the page (the form's 303 is for
  // browsers without it).
  await page.getByRole('button', { name: 'Queue Download' }).click();
  // The inbox refreshes itself until the press kit job is done.
  await page.waitForFunction(() => [...document.querySelectorAll('#ls-inbox .part a')]
    .some((a) => /^Download press kit-[0-9a-f]{8}-part1-of-/.test(a.textContent)), null,
  { timeout: 30000 });
  const links = await page.$$eval('#ls-inbox .part a', (as) => as.map((a) => a.textContent));
  // Earlier tests' downloads of this browser are listed too.
  assert.ok(links.some((t) => /^Download press kit-[0-9a-f]{8}-part1-of-\d+\.zip \(/.test(t)),
    `a press kit part among ${JSON.stringify(links)}`);
  await screenshot('07-inbox');
  assertNoProblems();
});
