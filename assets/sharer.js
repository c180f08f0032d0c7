// The Link Sharing dialog (ls_sharer.c renders the markup). Everything goes
// through the sharer API beside the page: GET settings, assets, collections
// and recipients; POST shares. The DOM is built with textContent only.
(function () {
  'use strict';
  var main = document.getElementById('ls-main');
  var API = main.getAttribute('data-api');
  var $ = function (id) { return document.getElementById(id); };
  var settings = null;
  var folder = '';
  var picked = [];          // [{path, kind}] in the order they were chosen
  var recipients = [];      // addresses, lower-cased duplicates refused

  var el = LinkShareSharer.el;
  var clear = LinkShareSharer.clear;
  var call = LinkShareSharer.api(API);

  function size(n) {
    var units = ['KB', 'MB', 'GB', 'TB'], u = -1;
    if (n < 1024) return n + (n === 1 ? ' byte' : ' bytes');
    do { n /= 1024; u++; } while (n >= 1024 && u < units.length - 1);
    return n.toFixed(1) + ' ' + units[u];
  }

  function utc(iso) { return iso.slice(0, 16).replace('T', ' ') + ' UTC'; }

  // A Date as the value of a datetime-local input (local time).
  function localValue(d) {
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate())
      + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
  }

  function days(seconds) {
    var d = Math.round(seconds / 86400);
    return d === 1 ? '1 day' : d + ' days';
  }

  // ---- picking files and folders ----------------------------------------

  function isPicked(path) {
    return picked.some(function (p) { return p.path === path; });
  }

  function togglePick(path, kind, on) {
    picked = picked.filter(function (p) { return p.path !== path; });
    if (on) picked.push({ path: path, kind: kind });
    renderPicked();
  }

  function renderPicked() {
    var ul = $('picked');
    clear(ul);
    picked.forEach(function (p) {
      var li = el('li', p.kind === 'folder' ? p.path + '/' : p.path);
      var b = el('button', 'Remove');
      b.type = 'button';
      b.setAttribute('aria-label', 'Remove ' + p.path);
      b.addEventListener('click', function () {
        togglePick(p.path, p.kind, false);
        syncChecks();
      });
      li.appendChild(b);
      ul.appendChild(li);
    });
    $('picked-none').hidden = picked.length > 0;
  }

  function syncChecks() {
    var boxes = $('assets').querySelectorAll('input[type=checkbox]');
    Array.prototype.forEach.call(boxes, function (b) {
      b.checked = isPicked(b.getAttribute('data-path'));
    });
  }

  function renderCrumbs() {
    var nav = $('crumbs');
    clear(nav);
    var segs = folder ? folder.split('/') : [];
    var top = el('button', 'All assets', 'link');
    top.type = 'button';
    top.addEventListener('click', function () { browse(''); });
    if (!segs.length) top.setAttribute('aria-current', 'page');
    nav.appendChild(top);
    segs.forEach(function (s, i) {
      var to = segs.slice(0, i + 1).join('/');
      nav.appendChild(document.createTextNode(' / '));
      if (i === segs.length - 1) {
        var cur = el('span', s);
        cur.setAttribute('aria-current', 'page');
        nav.appendChild(cur);
      } else {
        var b = el('button', s, 'link');
        b.type = 'button';
        b.addEventListener('click', function () { browse(to); });
        nav.appendChild(b);
      }
    });
  }

  function assetRow(e) {
    var tr = el('tr');
    var td = el('td');
    var box = el('input');
    box.type = 'checkbox';
    box.setAttribute('data-path', e.path);
    box.setAttribute('aria-label', 'Select ' + e.name);
    box.checked = isPicked(e.path);
    box.addEventListener('change', function () { togglePick(e.path, e.kind, box.checked); });
    td.appendChild(box);
    tr.appendChild(td);
    td = el('td', null, 'name');
    if (e.kind === 'folder') {
      var open = el('button', e.name, 'link');
      open.type = 'button';
      open.setAttribute('aria-label', 'Open folder ' + e.name);
      open.addEventListener('click', function () { browse(e.path); });
      td.appendChild(open);
    } else {
      td.textContent = e.name;
    }
    tr.appendChild(td);
    tr.appendChild(el('td', e.kind === 'folder' ? 'Folder' : 'File'));
    tr.appendChild(el('td', e.kind === 'folder' ? '' : size(e.size), 'num opt'));
    tr.appendChild(el('td', utc(e.modified), 'num opt'));
    return tr;
  }

  function browse(path) {
    var status = $('assets-status');
    status.textContent = 'Loading…';
    status.className = '';
    return call('GET', '/assets?path=' + encodeURIComponent(path)).then(function (j) {
      folder = j.path;
      renderCrumbs();
      var body = $('assets').querySelector('tbody');
      clear(body);
      j.entries.forEach(function (e) { body.appendChild(assetRow(e)); });
      status.textContent = j.entries.length === 0 ? 'This folder is empty.'
        : j.truncated ? 'Showing the first ' + j.entries.length + ' of ' + j.total
          + ' entries; open a subfolder to see the rest.' : '';
    }, function (err) {
      status.textContent = err.message;
      status.className = 'error';
    });
  }

  function loadCollections() {
    return call('GET', '/collections').then(function (j) {
      var sel = $('collection');
      j.collections.forEach(function (c) {
        var o = el('option', c.name + ' (' + c.paths.length
          + (c.paths.length === 1 ? ' item)' : ' items)'));
        o.value = c.id;
        sel.appendChild(o);
      });
    }, function () { /* collections are optional; the picker still works */ });
  }

  // ---- email --------------------------------------------------------------

  function isExternal(addr) {
    var domains = (settings && settings.org_domains) || [];
    if (!domains.length) return false; // no organisation known: no marking
    var d = addr.slice(addr.lastIndexOf('@') + 1).toLowerCase();
    return !domains.some(function (o) {
      o = String(o).toLowerCase();
      return d === o || d.slice(-(o.length + 1)) === '.' + o;
    });
  }

  function renderRecipients() {
    var ul = $('recipients');
    clear(ul);
    recipients.forEach(function (a) {
      var li = el('li', a);
      if (isExternal(a)) li.appendChild(el('span', 'External User', 'badge'));
      var b = el('button', 'Remove');
      b.type = 'button';
      b.setAttribute('aria-label', 'Remove ' + a);
      b.addEventListener('click', function () {
        recipients = recipients.filter(function (x) { return x !== a; });
        renderRecipients();
      });
      li.appendChild(b);
      ul.appendChild(li);
    });
  }

  // Adds what is typed (one or several, separated by commas, semicolons or
  // spaces); false with a message when an address does not look right.
  function addRecipients() {
    var input = $('recipient');
    var parts = input.value.split(/[\s,;]+/).filter(Boolean);
    var bad = parts.filter(function (a) { return !/^[^@\s"<>]+@[^@\s"<>]+\.[^@\s"<>]+$/.test(a); });
    if (bad.length) {
      $('share-error').textContent = '"' + bad[0] + '" is not an email address.';
      return false;
    }
    parts.forEach(function (a) {
      if (!recipients.some(function (x) { return x.toLowerCase() === a.toLowerCase(); })) {
        recipients.push(a);
      }
    });
    input.value = '';
    renderRecipients();
    return true;
  }

  var suggestTimer = null;
  function suggest() {
    $('share-error').textContent = ''; // a complaint about the last try
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(function () {
      var q = $('recipient').value.trim();
      call('GET', '/recipients?q=' + encodeURIComponent(q)).then(function (j) {
        var list = $('recipient-suggestions');
        clear(list);
        j.recipients.forEach(function (a) {
          var o = el('option');
          o.value = a;
          if (isExternal(a)) o.label = 'External User';
          list.appendChild(o);
        });
      }, function () { /* suggestions are a convenience */ });
    }, 150);
  }

  // ---- sharing ------------------------------------------------------------

  function share(ev) {
    ev.preventDefault();
    var errorBox = $('share-error');
    errorBox.textContent = '';
    var collection = $('collection').value;
    if (!picked.length && !collection) {
      errorBox.textContent = 'Choose at least one file or folder, or a collection.';
      return;
    }
    var body = {
      paths: picked.map(function (p) { return p.path; }),
      allow_original: $('allow-original').checked,
    };
    if (collection) body.collection = collection;
    var exp = $('expires').value;
    if (exp) {
      var d = new Date(exp);
      if (isNaN(d.getTime())) {
        errorBox.textContent = 'The expiration date and time is not valid.';
        return;
      }
      body.expires = d.toISOString().replace(/\.\d+Z$/, 'Z');
    }
    if (settings && settings.mail) {
      if ($('recipient').value.trim() && !addRecipients()) return;
      if (recipients.length) {
        body.recipients = recipients.slice();
        if ($('subject').value) body.subject = $('subject').value;
        if ($('message').value) body.message = $('message').value;
      }
    }
    var button = $('share');
    button.disabled = true;
    call('POST', '/shares', body).then(function (j) {
      var n = j.items.length;
      $('share-link').value = j.url;
      $('confirmation').textContent = 'Shared ' + n + (n === 1 ? ' item' : ' items')
        + '. The link works until ' + utc(j.expires) + '.'
        + (j.recipients.length ? ' Email to ' + j.recipients.length
          + (j.recipients.length === 1 ? ' recipient' : ' recipients') + ' is on its way.' : '');
      $('copy-status').textContent = '';
      $('share-form').hidden = true;
      $('result').hidden = false;
      $('share-link').focus();
      $('share-link').select();
    }, function (err) {
      errorBox.textContent = err.message;
    }).then(function () { button.disabled = false; });
  }

  function copyLink() {
    var field = $('share-link');
    var status = $('copy-status');
    function fallback() {
      field.focus();
      field.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      status.textContent = ok ? 'Copied.' : 'The link is selected: press Ctrl+C (or ⌘C) to copy it.';
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = 'Copied.';
      }, fallback);
    } else {
      fallback();
    }
  }

  function again() {
    picked = [];
    recipients = [];
    renderPicked();
    renderRecipients();
    syncChecks();
    $('share-link').value = '';
    $('result').hidden = true;
    $('share-form').hidden = false;
    setDefaultExpiry();
    $('share').focus();
  }

  function setDefaultExpiry() {
    if (!settings) return;
    var now = Date.now();
    $('expires').value = localValue(new Date(now + settings.default_expiry * 1000));
    $('expires').min = localValue(new Date(now));
  }

  function applySettings(s) {
    settings = s;
    setDefaultExpiry();
    $('expires-hint').textContent = 'Your local time. Links may last at most '
      + days(s.max_expiry) + '.';
    if (!s.mail) {
      $('mail-off').hidden = false;
      $('mail-fields').disabled = true;
    }
  }

  $('share-form').addEventListener('submit', share);
  $('copy').addEventListener('click', copyLink);
  $('again').addEventListener('click', again);
  $('add-recipient').addEventListener('click', function () {
    $('share-error').textContent = '';
    addRecipients();
  });
  $('recipient').addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' || ev.key === ',') {
      ev.preventDefault();
      $('share-error').textContent = '';
      addRecipients();
    }
  });
  $('recipient').addEventListener('input', suggest);
  renderPicked();
  call('GET', '/settings').then(applySettings, function (err) {
    $('share-error').textContent = err.message;
  });
  browse('');
  loadCollections();
}());
