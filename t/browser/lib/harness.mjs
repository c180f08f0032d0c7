// Shared pieces of the browser tests (t/browser/*.test.mjs): one headless
// Debian Chromium per test file (a fresh profile each time), the sharer API
// over Basic auth, console/CSP watching, and screenshots under build/browser/.
// scripts/browser-tests.sh starts the Apache::Test server and sets:
//   LS_BASE_URL    http://127.0.0.1:PORT of the running test server
//   LS_ASSET_ROOT  the LinkShareAssetRoot it serves (to compare bytes)
//   LS_USER, LS_PASS   a sharer from t/TEST's htpasswd (alice / alicepw)
//   LS_SHOT_DIR    where screenshots go (default build/browser)
//   LS_CHROMIUM    the browser (default /usr/bin/chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { chromium } from 'playwright-core';

function env(name, fallback) {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === '') {
    throw new Error(`${name} is not set: run the browser tests through scripts/browser-tests.sh`);
  }
  return v;
}

export const BASE = env('LS_BASE_URL').replace(/\/+$/, '');
export const ASSET_ROOT = env('LS_ASSET_ROOT');
const USER = env('LS_USER', 'alice');
const PASS = env('LS_PASS', 'alicepw');
const SHOT_DIR = env('LS_SHOT_DIR', path.resolve('build/browser'));
const CHROMIUM = env('LS_CHROMIUM', '/usr/bin/chromium');
fs.mkdirSync(SHOT_DIR, { recursive: true });

// ---- the sharer API (node's fetch, not the browser) ----------------------

const AUTH = 'Basic ' + Buffer.from(`${USER}:${PASS}`).toString('base64');

// One connection per call (agent: false): a kept-alive socket that httpd
// closes while idle would fail the next call at random ("fetch failed").
export async function api(method, urlPath, body) {
  const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
  const res = await new Promise((resolve, reject) => {
    const req = http.request(BASE + urlPath, {
      method,
      agent: false,
      headers: {
        Authorization: AUTH,
        ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}),
      },
    }, (r) => {
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => resolve({ status: r.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      r.on('error', reject);
    });
    req.on('error', reject);
    req.end(data ?? undefined);
  });
  let json = null;
  try { json = res.text ? JSON.parse(res.text) : null; } catch { /* not JSON */ }
  return { status: res.status, json, text: res.text };
}

// POST /linkshare/api/shares; returns the share JSON (with its url).
export async function createShare(paths, extra = {}) {
  const r = await api('POST', '/linkshare/api/shares', { paths, ...extra });
  assert.equal(r.status, 201, `create share: ${r.status} ${r.text}`);
  assert.match(r.json.url, /\/linkshare\.html\?sh=[A-Za-z0-9_-]{43}$/, 'share url');
  return r.json;
}

export async function revokeShare(id) {
  const r = await api('DELETE', `/linkshare/api/shares/${encodeURIComponent(id)}`);
  assert.equal(r.status, 204, `revoke share: ${r.status} ${r.text}`);
}

// The bytes of an asset as stored under LinkShareAssetRoot.
export function assetBytes(rel) {
  return fs.readFileSync(path.join(ASSET_ROOT, rel));
}

// ---- the browser -----------------------------------------------------------

export const ctx = { context: null, page: null, profile: null };

// Console messages, page errors and CSP violations since the last check.
let problems = [];

function watch(page) {
  page.on('console', (m) => {
    if (m.type() !== 'error' && !m.text().startsWith('[csp-violation]')) return;
    const url = m.location()?.url || '';
    problems.push({ kind: 'console', text: m.text(), url });
  });
  page.on('pageerror', (e) => problems.push({ kind: 'pageerror', text: String(e), url: page.url() }));
}

// Launches Chromium once for the test file; the test file's tests share it.
// `options` go to launchPersistentContext (e.g. httpCredentials for the
// signed-in sharer pages).
export function useBrowser(options = {}) {
  before(async () => {
    ctx.profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-browser-'));
    ctx.context = await chromium.launchPersistentContext(ctx.profile, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1024, height: 720 },
      ...options,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    ctx.context.setDefaultTimeout(10_000);
    // Every page reports CSP violations in words, whatever Chromium logs.
    await ctx.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`[csp-violation] ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
      });
    });
    ctx.context.on('page', watch);
    ctx.page = ctx.context.pages()[0] || (await ctx.context.newPage());
    watch(ctx.page);
  });
  after(async () => {
    await ctx.context?.close().catch(() => {});
    if (ctx.profile) fs.rmSync(ctx.profile, { recursive: true, force: true });
  });
}

// A missing favicon is a console 404 on every page we serve: the site has
// none (not ours to add). Anything else is a problem. `allow` takes more
// patterns (matched against the message text) for a test that expects them.
export function takeProblems(allow = []) {
  const left = problems.filter((p) => !(p.kind === 'console'
    && /\/favicon\.ico$/.test(p.url) && /status of 404/.test(p.text))
    && !allow.some((re) => re.test(p.text)));
  problems = [];
  return left;
}

export function assertNoProblems(allow = []) {
  const left = takeProblems(allow);
  assert.deepEqual(left, [], 'console errors or CSP violations:\n'
    + left.map((p) => `  ${p.kind}: ${p.text} ${p.url}`).join('\n'));
}

export async function screenshot(name) {
  const file = path.join(SHOT_DIR, `${name}.png`);
  await ctx.page.screenshot({ path: file, fullPage: true });
  return file;
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

// test() with a screenshot of the page as it was when the test failed.
export function browserTest(name, fn, opts = {}) {
  test(name, { timeout: 30_000, ...opts }, async (t) => {
    takeProblems(); // a failed test's leftovers are not the next one's
    try {
      await fn(t);
    } catch (err) {
      if (ctx.page && !opts.todo) {
        const file = await screenshot(`FAILED-${slug(name)}`).catch(() => null);
        if (file) t.diagnostic(`screenshot: ${file}`);
      }
      throw err;
    }
  });
}

// ---- page reading helpers --------------------------------------------------

// The names in the listing on the current page, in page order.
export async function listedNames(page = ctx.page) {
  return page.locator('main .items .item .name').allInnerTexts();
}

// The row (list view) or card of the item called `name` on a listing page.
export function rowOf(name, page = ctx.page) {
  return page.locator('main .items .item').filter({
    has: page.locator('.name').getByText(name, { exact: true }),
  });
}

// fetch() run in the browser, from a blank page of the server's origin that
// has no Content-Security-Policy of its own (ours, rightly, allows no
// connections yet; see the todo test). The request carries the browser's
// cookies and the response's Set-Cookie lands in its jar, as from our pages.
const BLANK = `${BASE}/__browser-test-blank.html`;
let blankRouted = false;

export async function openBlankSameOrigin(page = ctx.page) {
  if (!blankRouted) {
    await ctx.context.route(BLANK, (route) => route.fulfill({
      status: 200, contentType: 'text/html; charset=utf-8',
      body: '<!DOCTYPE html><title>same-origin blank</title>',
    }));
    blankRouted = true;
  }
  await page.goto(BLANK);
}

// page.evaluate(fetch) returning {status, headers, json, text}.
export async function browserFetch(url, init = {}, page = ctx.page) {
  return page.evaluate(async ([u, i]) => {
    const r = await fetch(u, { credentials: 'same-origin', ...i });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, json, text, contentType: r.headers.get('content-type') };
  }, [url, init]);
}

export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

// ---- accessibility -----------------------------------------------------------

const AXE = fs.readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

// Runs axe-core (WCAG 2 A/AA rules: contrast, labels, names, landmarks...)
// on the current page and fails with every violation in words. Evaluated
// through the DevTools protocol, so our CSP does not have to allow it.
export async function assertAccessible(what, page = ctx.page) {
  await page.evaluate(AXE + '\n;0');
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const lines = res.violations.map((v) => `  ${v.id} (${v.impact}): ${v.help}\n`
    + v.nodes.slice(0, 3).map((n) => `      ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n'));
  assert.equal(res.violations.length, 0, `${what}: accessibility violations:\n${lines.join('\n')}`);
}
