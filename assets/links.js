// The Shared Links list (ls_view_sharer.c renders the table head and the
// toolbar). Reads GET shares (admins: ?all=1) from the sharer API beside
// the page and filters, searches and sorts it here; each active link can be
// copied or opened again (the API gives its url while it is active);
// Rename and a new expiry are PATCH, Unshare is DELETE. The DOM is built
// with textContent only.
(function () {
  'use strict';
  var L = LinkShareSharer;
  var el = L.el, clear = L.clear;
  var main = document.getElementById('ls-main');
  var call = L.api(main.getAttribute('data-api'));
  var $ = function (id) { return document.getElementById(id); };
  var showAll = false;
  var me = null;   // the signed-in user (from settings): Resend is for their own links
  var shares = []; // the last answer, unfiltered

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function base(path) { return path.slice(path.lastIndexOf('/') + 1); }

  function cell(tr, label, cls) {
    var td = el('td', null, cls);
    td.setAttribute('data-label', label);
    tr.appendChild(td);
    return td;
  }

  function say(text) {
    $('links-status').textContent = text;
    $('links-error').textContent = '';
  }

  function fail(err) { $('links-error').textContent = err.message; }

  // What a link is called in the list: its name, else its first item.
  function title(sh) {
    if (sh.name) return sh.name;
    if (!sh.items.length) return 'Shared files';
    var first = base(sh.items[0].path);
    return sh.items.length === 1 ? first : first + ' and ' + plural(sh.items.length - 1, 'more', 'more');
  }

  function linkCell(tr, sh) {
    var td = cell(tr, 'Link', 'link');
    var h = el('p', null, 'title');
    if (sh.items.length) h.appendChild(L.icon(sh.items[0].kind, sh.items[0].path));
    h.appendChild(el('span', title(sh)));
    td.appendChild(h);
    var ul = el('ul', null, 'items');
    sh.items.forEach(function (it) {
      var li = el('li', it.kind === 'folder' ? it.path + '/' : it.path);
      if (!it.available) {
        li.appendChild(document.createTextNode(' '));
        li.appendChild(el('span', 'moved or deleted', 'badge'));
      }
      ul.appendChild(li);
    });
    // One unnamed item at the top: the title says it all.
    if (sh.name || sh.items.length !== 1 || sh.items[0].path.indexOf('/') >= 0
      || !sh.items[0].available) td.appendChild(ul);
    td.appendChild(el('p', 'Created ' + L.when(sh.created)
      + (showAll ? ' by ' + sh.owner : ''), 'meta'));
    if (sh.password_protected) td.appendChild(el('span', 'password protected', 'badge protected'));
    if (sh.url) {
      var box = el('div', null, 'linkbox');
      var status = el('span', '', 'meta');
      status.setAttribute('role', 'status');
      var copyB = L.button('Copy link', 'primary');
      copyB.addEventListener('click', function () { L.copy(sh.url, null, status); });
      box.appendChild(copyB);
      if (sh.state === 'exhausted') {
        // The link answers "used up" now; the same link opens again once
        // the limit is raised (Edit), so it can still be copied.
        td.appendChild(el('p', 'Used up: ' + (sh.max_downloads === 1 ? 'the one download was'
          : 'all ' + sh.max_downloads + ' downloads were') + ' taken. '
          + 'Raise the download limit to open this link again.', 'meta usedup'));
      } else {
        var open = el('a', 'Open', 'button');
        open.href = sh.url;
        open.target = '_blank';
        open.rel = 'noopener noreferrer';
        open.setAttribute('aria-label', 'Open ' + title(sh));
        box.appendChild(open);
      }
      box.appendChild(status);
      td.appendChild(box);
    } else if (sh.state === 'active') {
      td.appendChild(el('p', 'This link still works, but it was made before links were kept, '
        + 'so it cannot be shown again. To send it to someone new, share the items again.',
      'meta nolink'));
    }
  }

  function recipientsCell(tr, sh) {
    var td = cell(tr, 'Recipients');
    if (!sh.recipients.length) td.textContent = 'None';
    sh.recipients.forEach(function (rc) {
      var d = el('div', null, 'rcpt');
      d.appendChild(el('span', rc.email));
      if (rc.external) {
        d.appendChild(document.createTextNode(' '));
        d.appendChild(el('span', 'External User', 'badge'));
      }
      d.appendChild(document.createTextNode(' '));
      d.appendChild(el('span', '(' + rc.mail_state
        + (rc.mail_state === 'failed' && rc.mail_reply ? ': ' + rc.mail_reply : '') + ')', 'meta'));
      // The sharer may send their own link again (queued mail is on its way).
      if (sh.state === 'active' && rc.mail_state !== 'queued' && sh.owner === me) {
        var again = L.button('Resend', 'link resend', 'Resend to ' + rc.email);
        again.addEventListener('click', function () {
          again.disabled = true;
          call('POST', '/shares/' + encodeURIComponent(sh.id) + '/resend', { email: rc.email })
            .then(function () {
              return load().then(function () { say('The link will be sent to ' + rc.email + ' again.'); });
            }, function (err) { fail(err); again.disabled = false; });
        });
        d.appendChild(document.createTextNode(' '));
        d.appendChild(again);
      }
      td.appendChild(d);
    });
  }

  // Rename and a new expiry, folded away until asked for.
  function editBox(sh) {
    var det = el('details', null, 'edit');
    det.appendChild(el('summary', 'Edit'));
    var nameId = 'name-' + sh.id, expId = 'expires-' + sh.id;
    var nl = el('label', 'Name');
    nl.htmlFor = nameId;
    var name = el('input');
    name.type = 'text';
    name.id = nameId;
    name.maxLength = 200;
    name.value = sh.name || '';
    var el2 = el('label', 'New expiry');
    el2.htmlFor = expId;
    var exp = el('input');
    exp.type = 'datetime-local';
    exp.id = expId;
    exp.value = L.localValue(new Date(sh.expires));
    // Link protection: a new password (empty: unchanged), removing it,
    // and the download limit (empty: none).
    var pwId = 'password-' + sh.id, limId = 'limit-' + sh.id;
    var pl = el('label', sh.password_protected ? 'New password' : 'Password');
    pl.htmlFor = pwId;
    var pw = el('input');
    pw.type = 'password';
    pw.id = pwId;
    pw.maxLength = 256;
    pw.autocomplete = 'new-password';
    var rm = null;
    if (sh.password_protected) {
      rm = el('input');
      rm.type = 'checkbox';
      rm.id = 'nopw-' + sh.id;
    }
    var ll = el('label', 'Download limit');
    ll.htmlFor = limId;
    var lim = el('input');
    lim.type = 'number';
    lim.id = limId;
    lim.min = '1';
    lim.max = '1000000';
    lim.value = sh.max_downloads ? String(sh.max_downloads) : '';
    var save = L.button('Save changes', 'primary');
    save.addEventListener('click', function () {
      var body = {};
      var n = name.value.trim();
      if (n !== (sh.name || '')) body.name = n || null;
      if (rm && rm.checked) body.password = null;
      else if (pw.value) body.password = pw.value;
      var lv = lim.value.trim();
      if (lv !== (sh.max_downloads ? String(sh.max_downloads) : '')) {
        if (lv && !/^\d+$/.test(lv)) { fail(new Error('Enter a whole number of downloads, or leave it empty.')); return; }
        body.max_downloads = lv ? +lv : null;
      }
      if (sh.state !== 'revoked' && exp.value !== L.localValue(new Date(sh.expires))) {
        var d = new Date(exp.value);
        if (!exp.value || isNaN(d.getTime())) {
          fail(new Error('Enter a valid date and time.'));
          return;
        }
        body.expires = L.rfc3339(d);
      }
      if (!Object.keys(body).length) { say('Nothing was changed.'); return; }
      save.disabled = true;
      call('PATCH', '/shares/' + encodeURIComponent(sh.id), body).then(function (j) {
        return load().then(function () {
          say(body.expires ? 'The link now expires ' + L.when(j.expires) + '.'
            : 'password' in body ? (j.password_protected ? 'The link has a new password; earlier unlocks end.'
              : 'The link needs no password now.')
            : 'max_downloads' in body ? (j.max_downloads ? 'The link now allows ' + j.max_downloads + ' downloads.'
              : 'The link has no download limit now.')
            : j.name ? 'The link is now called "' + j.name + '".' : 'The link has no name now.');
        });
      }, function (err) {
        fail(err.field === 'expires' && /past/.test(err.message)
          ? new Error('Choose a time in the future.') : err);
        save.disabled = false;
      });
    });
    det.appendChild(nl);
    det.appendChild(name);
    if (sh.state !== 'revoked') {
      det.appendChild(el2);
      det.appendChild(exp);
      det.appendChild(pl);
      det.appendChild(pw);
      if (rm) {
        var rl = el('label', 'Remove the password');
        rl.htmlFor = rm.id;
        var rp = el('p', null, 'check');
        rp.appendChild(rm);
        rp.appendChild(document.createTextNode(' '));
        rp.appendChild(rl);
        det.appendChild(rp);
      }
      det.appendChild(ll);
      det.appendChild(lim);
    }
    var r = el('div', null, 'row');
    r.appendChild(save);
    det.appendChild(r);
    return det;
  }

  // The link's activity log (GET shares/ID/activity), newest first, read
  // when the box is opened; "Older" pages on with the API's cursor.
  var ACTIVITY = {
    page: 'Opened the link', preview: 'Previewed', download: 'Downloaded',
    queue: 'Queued a download', part: 'Downloaded part', expired: 'Refused: expired',
    revoked: 'Refused: unshared', limit: 'Refused: download limit',
    unlock_failed: 'Wrong password'
  };
  function bytes(n) {
    var u = ['bytes', 'KB', 'MB', 'GB', 'TB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : String(n)) + ' ' + u[i];
  }
  function activityItem(ev) {
    var li = el('li', null, 'event');
    var what = ACTIVITY[ev.kind] || ev.kind;
    if (ev.path) what += ' ' + ev.path; // a share path, or a part's number
    li.appendChild(el('span', L.when(ev.time, false), 'ev-time'));
    li.appendChild(el('span', what, 'ev-what'));
    var meta = [];
    if (ev.status === 206) meta.push('part of the file');
    else if (ev.status >= 400) meta.push('HTTP ' + ev.status);
    if (ev.bytes) meta.push(bytes(ev.bytes));
    if (ev.address) meta.push(ev.address);
    if (meta.length) li.appendChild(el('span', meta.join(' · '), 'meta'));
    return li;
  }
  function activityBox(sh) {
    var det = el('details', null, 'activity');
    det.appendChild(el('summary', 'Activity'));
    var list = el('ol', null, 'events');
    var older = L.button('Older');
    var note = el('p', null, 'meta');
    note.setAttribute('role', 'status');
    older.hidden = true;
    var next = null, loaded = false;
    function more() {
      older.disabled = true;
      var q = '?limit=10' + (next ? '&before=' + encodeURIComponent(next) : '');
      call('GET', '/shares/' + encodeURIComponent(sh.id) + '/activity' + q).then(function (j) {
        j.events.forEach(function (ev) { list.appendChild(activityItem(ev)); });
        next = j.next;
        older.hidden = !next;
        older.disabled = false;
        note.textContent = list.childNodes.length ? '' : 'Nothing yet: nobody has opened this link.';
      }, function (err) { note.textContent = err.message; older.disabled = false; });
    }
    det.addEventListener('toggle', function () {
      if (det.open && !loaded) { loaded = true; more(); }
    });
    older.addEventListener('click', more);
    det.appendChild(list);
    det.appendChild(note);
    det.appendChild(older);
    return det;
  }

  function actionsCell(tr, sh) {
    var td = cell(tr, 'Actions');
    if (sh.state !== 'revoked') {
      var acts = el('div', null, 'acts');
      var unshare = L.button('Unshare', 'danger');
      unshare.addEventListener('click', function () {
        if (!window.confirm('Unshare this link? Whoever has it will no longer be able to open it.')) return;
        unshare.disabled = true;
        call('DELETE', '/shares/' + encodeURIComponent(sh.id)).then(function () {
          return load().then(function () { say('The link was unshared; it no longer works.'); });
        }, function (err) { fail(err); unshare.disabled = false; });
      });
      acts.appendChild(unshare);
      td.appendChild(acts);
    } else {
      td.appendChild(el('p', 'Unshared', 'meta'));
    }
    td.appendChild(editBox(sh));
    td.appendChild(activityBox(sh));
  }

  function row(sh) {
    var tr = el('tr');
    tr.setAttribute('data-id', sh.id);
    linkCell(tr, sh);
    cell(tr, 'State').appendChild(el('span', sh.state, 'state state-' + sh.state));
    var td = cell(tr, 'Expires', 'when');
    td.appendChild(el('span', L.when(sh.expires)));
    if (sh.state === 'active') td.appendChild(el('span', L.relative(sh.expires), 'rel'));
    recipientsCell(tr, sh);
    cell(tr, 'Downloads', 'num').textContent = sh.max_downloads
      ? sh.downloads + ' of ' + sh.max_downloads + (sh.max_downloads === 1 ? ' download' : ' downloads')
      : String(sh.downloads);
    actionsCell(tr, sh);
    return tr;
  }

  function fold(s) {
    return s.normalize ? s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      : s.toLowerCase();
  }

  function matches(sh, state, q) {
    if (state !== 'all' && sh.state !== state) return false;
    if (!q) return true;
    return [sh.name || ''].concat(sh.items.map(function (i) { return i.path; }))
      .some(function (t) { return fold(t).indexOf(q) >= 0; });
  }

  function render() {
    var state = document.querySelector('input[name=state]:checked').value;
    var q = fold($('search').value.trim());
    var sort = $('sort').value.split('-');
    var list = shares.filter(function (sh) { return matches(sh, state, q); });
    list.sort(function (a, b) {
      var d = Date.parse(a[sort[0]]) - Date.parse(b[sort[0]]);
      return (sort[1] === 'asc' ? d : -d) || (a.id < b.id ? -1 : 1);
    });
    var body = $('links').querySelector('tbody');
    clear(body);
    list.forEach(function (sh) { body.appendChild(row(sh)); });
    $('links').hidden = !list.length;
    $('links-status').textContent = !shares.length
      ? (showAll ? 'Nobody has shared a link yet.' : 'You have not shared any links yet.')
      : !list.length ? 'No links match. Try another word or show all states.'
        : list.length === shares.length ? plural(list.length, 'link', 'links')
          : list.length + ' of ' + plural(shares.length, 'link', 'links');
  }

  var loads = 0; // only the latest answer is shown (the toggle may race)
  function load() {
    var mine = ++loads;
    return call('GET', '/shares' + (showAll ? '?all=1' : '')).then(function (j) {
      if (mine !== loads) return;
      shares = j.shares;
      render();
    }, fail);
  }

  $('search').addEventListener('input', render);
  $('sort').addEventListener('change', render);
  Array.prototype.forEach.call(document.querySelectorAll('input[name=state]'), function (r) {
    r.addEventListener('change', render);
  });
  call('GET', '/settings').then(function (s) {
    me = s.user;
    if (s.admin) {
      $('all-toggle').hidden = false;
      $('show-all').addEventListener('change', function () {
        showAll = $('show-all').checked;
        load();
      });
    }
    return load();
  }, fail);
}());
