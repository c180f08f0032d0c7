/* The preview overlay. A file's preview is a real page
 * (linksharepreview.html) that works on its own and without script; on
 * the Link Share page this opens it over the folder instead: it fetches
 * that page and shows its preview in a <dialog>, with "File 3 of 16",
 * the arrow keys and swipes for the next and previous file, Escape, the
 * close button or the browser's Back to close it, and Download as a
 * button. The address bar shows the preview's URL while it is open, so
 * a reload or a shared address opens the page itself. On the preview page
 * it adds the arrow keys. On both, a video the browser cannot play says
 * so instead of leaving a dead player. */
(() => {
  'use strict';
  const PREVIEW_PATH = '/linksharepreview.html';

  // A <video> that fails (a codec the browser lacks) becomes a sentence.
  function explainVideos(root) {
    for (const v of root.querySelectorAll('video')) {
      const say = () => {
        if (!v.isConnected) return;
        const p = document.createElement('p');
        p.className = 'cannot-play';
        p.setAttribute('role', 'status');
        p.textContent = 'Your browser cannot play this video. Download it to watch it.';
        v.replaceWith(p);
      };
      v.addEventListener('error', say);
      if (v.error) say();
    }
  }

  // Keys that belong to what has focus (a player seeks with arrows).
  const ownsArrows = (t) => t && t.closest && t.closest('input, textarea, select, video, audio, iframe');

  if (document.querySelector('main .box.preview')) {
    // The preview page itself.
    explainVideos(document);
    document.addEventListener('keydown', (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || ownsArrows(e.target)) return;
      const rel = e.key === 'ArrowLeft' ? 'prev' : e.key === 'ArrowRight' ? 'next' : null;
      const a = rel && document.querySelector(`nav.pager a[rel="${rel}"]`);
      if (a) { e.preventDefault(); location.href = a.href; }
    });
    return;
  }

  const isPreviewLink = (a) => {
    if (!a || !a.href || a.hasAttribute('download') || (a.target && a.target !== '_self')) return false;
    try {
      const u = new URL(a.href, location.href);
      return u.origin === location.origin && u.pathname.endsWith(PREVIEW_PATH);
    } catch (err) {
      return false;
    }
  };

  let dlg, title, pos, dl, body, prevBtn, nextBtn, opener = null;
  let prevUrl = null, nextUrl = null, pushed = false, loading = 0;
  const pageTitle = document.title;

  function build() {
    dlg = document.createElement('dialog');
    dlg.className = 'overlay';
    dlg.setAttribute('aria-labelledby', 'ov-title');
    dlg.innerHTML = '<div class="ov-bar"><h2 id="ov-title"></h2>'
      + '<span class="ov-pos"></span>'
      + '<a class="button ov-dl" download>Download</a>'
      + '<button type="button" class="ov-close" aria-label="Close the preview">'
      + '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2" fill="none" stroke-linecap="round"/></svg>'
      + '</button></div>'
      + '<div class="ov-stage"><button type="button" class="ov-nav ov-prev" aria-label="Previous file">'
      + '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"><path d="M15 5l-7 7 7 7" stroke="currentColor" stroke-width="2" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg></button>'
      + '<div class="ov-body" aria-live="polite"></div>'
      + '<button type="button" class="ov-nav ov-next" aria-label="Next file">'
      + '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"><path d="M9 5l7 7-7 7" stroke="currentColor" stroke-width="2" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg></button></div>';
    document.body.append(dlg);
    title = dlg.querySelector('#ov-title');
    pos = dlg.querySelector('.ov-pos');
    dl = dlg.querySelector('.ov-dl');
    body = dlg.querySelector('.ov-body');
    prevBtn = dlg.querySelector('.ov-prev');
    nextBtn = dlg.querySelector('.ov-next');
    dlg.querySelector('.ov-close').addEventListener('click', close);
    prevBtn.addEventListener('click', () => go(prevUrl));
    nextBtn.addEventListener('click', () => go(nextUrl));
    // Escape: the dialog's cancel, routed through history like Close.
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
    // A click on the backdrop (the dialog box itself, not one of its parts).
    dlg.addEventListener('click', (e) => { if (e.target === dlg) close(); });
    dlg.addEventListener('keydown', (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || ownsArrows(e.target)) return;
      if (e.key === 'ArrowLeft' && prevUrl) { e.preventDefault(); go(prevUrl); }
      if (e.key === 'ArrowRight' && nextUrl) { e.preventDefault(); go(nextUrl); }
    });
    let x0 = null, y0 = null;
    const stage = dlg.querySelector('.ov-stage');
    stage.addEventListener('touchstart', (e) => {
      if (e.touches.length === 1) { x0 = e.touches[0].clientX; y0 = e.touches[0].clientY; }
    }, { passive: true });
    stage.addEventListener('touchend', (e) => {
      if (x0 === null || e.changedTouches.length !== 1) return;
      const dx = e.changedTouches[0].clientX - x0, dy = e.changedTouches[0].clientY - y0;
      x0 = null;
      if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) go(dx < 0 ? nextUrl : prevUrl);
    }, { passive: true });
  }

  // Fetches the preview page of url and shows it. Anything unexpected (an
  // expired or withdrawn link, a network failure) goes to the page itself,
  // which says what happened.
  async function load(url) {
    const mine = ++loading;
    let doc;
    try {
      const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (!res.ok || !(res.headers.get('Content-Type') || '').startsWith('text/html')) throw new Error(String(res.status));
      doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    } catch (err) {
      location.href = url;
      return false;
    }
    if (mine !== loading) return false; // a newer one was asked for
    const box = doc.querySelector('main .box.preview');
    if (!box) { location.href = url; return false; }
    const name = (doc.querySelector('header h1') || {}).textContent || '';
    const meta = (doc.querySelector('header .meta') || {}).textContent || '';
    const pager = doc.querySelector('nav.pager');
    const link = (rel) => { const a = pager && pager.querySelector(`a[rel="${rel}"]`); return a ? a.href : null; };
    prevUrl = link('prev');
    nextUrl = link('next');
    const where = pager && pager.querySelector('span');
    title.textContent = name;
    title.title = meta;
    pos.textContent = where ? where.textContent : '';
    const down = box.querySelector('.actions a[download]');
    dl.hidden = !down;
    if (down) { dl.href = down.href; dl.textContent = 'Download'; dl.setAttribute('aria-label', down.textContent); }
    const actions = box.querySelector('.actions');
    if (actions) actions.remove();
    body.replaceChildren(document.adoptNode(box));
    explainVideos(body);
    prevBtn.hidden = !prevUrl;
    nextBtn.hidden = !nextUrl;
    document.title = name;
    return true;
  }

  async function open(url, from) {
    if (!dlg) build();
    opener = from || document.activeElement;
    if (!(await load(url))) return;
    history.pushState({ lsPreview: url }, '', url);
    pushed = true;
    if (!dlg.open) dlg.showModal();
    dlg.querySelector('.ov-close').focus();
  }

  async function go(url) {
    if (!url) return;
    if (await load(url)) history.replaceState({ lsPreview: url }, '', url);
  }

  // Closing goes back in history (the page's own address returns); the
  // popstate below does the rest.
  function close() {
    if (pushed) { history.back(); return; }
    hide();
  }

  function hide() {
    loading++;
    if (dlg && dlg.open) dlg.close();
    if (body) {
      for (const m of body.querySelectorAll('video, audio')) m.pause();
      body.replaceChildren();
    }
    document.title = pageTitle;
    pushed = false;
    if (opener && opener.isConnected) opener.focus();
  }

  window.addEventListener('popstate', (e) => {
    const url = e.state && e.state.lsPreview;
    if (url) {
      // Forward into a preview again.
      if (!dlg) build();
      load(url).then((ok) => { if (ok && !dlg.open) { pushed = true; dlg.showModal(); } });
    } else if (dlg && dlg.open) {
      hide();
    }
  });

  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest && e.target.closest('a');
    if (!isPreviewLink(a) || (dlg && dlg.contains(a))) return;
    e.preventDefault();
    open(a.href, a);
  });
})();
