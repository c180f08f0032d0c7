// The Link Sharing dialog (ls_view_sharer.c renders the markup). Everything
// goes through the sharer API beside the page: GET settings, assets,
// collections and recipients; POST shares. The DOM is built with
// textContent only. A problem is shown under its field, in words people
// use, and cleared as soon as the field is changed.
(function () {
  'use strict';
  var L = LinkShareSharer;
  var el = L.el, clear = L.clear;
  var main = document.getElementById('ls-main');
  var call = L.api(main.getAttribute('data-api'));
  var $ = function (id) { return document.getElementById(id); };
  var settings = null;
  var folder = '';
  var entries = [];         // the open folder's entries, as the API gave them
  var picked = [];          // [{path, kind}] in the order they were chosen
  var recipients = [];      // addresses, lower-cased duplicates refused
  var PRESETS = { day: 86400, week: 7 * 86400, month: 30 * 86400 };
  var MAX_NAME = 200;
  var EMAIL = /^[^@\s"<>]+@[^@\s"<>]+\.[^@\s"<>]+$/;

  function size(n) {
    var units = ['KB', 'MB', 'GB', 'TB'], u = -1;
    if (n < 1024) return n + (n === 1 ? ' byte' : ' bytes');
    do { n /= 1024; u++; } while (n >= 1024 && u < units.length - 1);
    return n.toFixed(1) + ' ' + units[u];
  }

  function days(seconds) {
    var d = Math.round(seconds / 86400);
    return d === 1 ? '1 day' : d + ' days';
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function base(path) { return path.slice(path.lastIndexOf('/') + 1); }

  // ---- errors next to their fields --------------------------------------------

  var FIELDS = { items: ['items-error', null], name: ['name-error', 'link-name'],
    expires: ['expires-error', 'expires'], recipients: ['recipient-error', 'recipient'],
    later: ['later-error', 'later-to'], password: ['password-error', 'link-password'],
    max_downloads: ['max-downloads-error', 'max-downloads'] };

  function setError(field, text) {
    var f = FIELDS[field];
    $(f[0]).textContent = text;
    if (f[1]) {
      if (text) $(f[1]).setAttribute('aria-invalid', 'true');
      else $(f[1]).removeAttribute('aria-invalid');
    }
  }

  function clearError(field) { setError(field, ''); }

  // The API names the field first ('Field "recipients": email is not set
  // up ...'); people need the rest of the sentence.
  function plainWords(message) {
    var s = message.replace(/^Field "[a-z_]+"(, entry \d+)?:?\s*/, '');
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  // ---- picking files and folders ----------------------------------------------

  function isPicked(path) {
    return picked.some(function (p) { return p.path === path; });
  }

  function togglePick(path, kind, on) {
    picked = picked.filter(function (p) { return p.path !== path; });
    if (on) picked.push({ path: path, kind: kind });
    if (picked.length) clearError('items');
    renderPicked();
  }

  function chip(path, kind) {
    var li = el('li');
    li.appendChild(L.icon(kind, path));
    li.appendChild(el('span', kind === 'folder' ? path + '/' : path));
    return li;
  }

  function renderPicked() {
    var ul = $('picked');
    clear(ul);
    picked.forEach(function (p) {
      var li = chip(p.path, p.kind);
      var b = L.button('×', null, 'Remove ' + p.path);
      b.addEventListener('click', function () {
        togglePick(p.path, p.kind, false);
        syncChecks();
        $('share').focus();
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
      b.closest('tr').classList.toggle('on', b.checked);
    });
  }

  function renderCrumbs() {
    var nav = $('crumbs');
    clear(nav);
    var segs = folder ? folder.split('/') : [];
    var top = L.button('All assets', 'link');
    top.addEventListener('click', function () { browse(''); });
    if (!segs.length) top.setAttribute('aria-current', 'page');
    nav.appendChild(top);
    segs.forEach(function (s, i) {
      var to = segs.slice(0, i + 1).join('/');
      nav.appendChild(el('span', '/', 'sep'));
      if (i === segs.length - 1) {
        var cur = el('span', s);
        cur.setAttribute('aria-current', 'page');
        nav.appendChild(cur);
      } else {
        var b = L.button(s, 'link');
        b.addEventListener('click', function () { browse(to); });
        nav.appendChild(b);
      }
    });
  }

  function assetRow(e) {
    var tr = el('tr');
    var td = el('td', null, 'sel');
    var box = el('input');
    box.type = 'checkbox';
    box.setAttribute('data-path', e.path);
    box.setAttribute('aria-label', 'Select ' + e.name);
    box.checked = isPicked(e.path);
    tr.classList.toggle('on', box.checked);
    box.addEventListener('change', function () {
      tr.classList.toggle('on', box.checked);
      togglePick(e.path, e.kind, box.checked);
    });
    td.appendChild(box);
    tr.appendChild(td);
    td = el('td', null, 'name');
    var nm = el('div', null, 'nm');
    nm.appendChild(L.icon(e.kind, e.name));
    if (e.kind === 'folder') {
      var open = L.button(e.name, 'open', 'Open folder ' + e.name);
      open.addEventListener('click', function () { browse(e.path); });
      nm.appendChild(open);
    } else {
      nm.appendChild(el('span', e.name));
    }
    // A search finds entries in subfolders: say where.
    var dir = e.path.lastIndexOf('/') >= 0 ? e.path.slice(0, e.path.lastIndexOf('/')) : '';
    if (dir !== folder) nm.appendChild(el('span', 'in ' + (dir || 'All assets'), 'where'));
    td.appendChild(nm);
    tr.appendChild(td);
    tr.appendChild(el('td', e.kind === 'folder' ? '' : size(e.size), 'num opt'));
    tr.appendChild(el('td', L.when(e.modified, 'day'), 'when opt'));
    return tr;
  }

  // Without accents and case: "cafe" finds "Café".
  function fold(s) {
    return s.normalize ? s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      : s.toLowerCase();
  }

  function renderRows(truncated, total) {
    var body = $('assets').querySelector('tbody');
    var q = fold($('filter').value.trim());
    var shown = entries.filter(function (e) { return !q || fold(e.name).indexOf(q) >= 0; });
    clear(body);
    shown.forEach(function (e) { body.appendChild(assetRow(e)); });
    var status = $('assets-status');
    status.className = 'meta';
    status.textContent = entries.length === 0 ? 'This folder is empty.'
      : !shown.length ? 'Nothing in this folder matches "' + $('filter').value.trim() + '".'
        : truncated ? 'Showing the first ' + entries.length + ' of ' + total
          + ' entries; open a subfolder to see the rest.' : '';
  }

  // The search's answer (GET assets?q=, this folder and its subfolders)
  // after the open folder's own matches, which show at once and also
  // match without accents.
  function renderFound(j, raw) {
    var body = $('assets').querySelector('tbody');
    var q = fold(raw), seen = {};
    var rows = entries.filter(function (e) { return fold(e.name).indexOf(q) >= 0; }).concat(j.entries)
      .filter(function (e) { return seen[e.path] ? false : (seen[e.path] = true); });
    clear(body);
    rows.forEach(function (e) { body.appendChild(assetRow(e)); });
    var status = $('assets-status');
    status.className = 'meta';
    status.textContent = !rows.length ? 'Nothing here or in the folders below matches "' + raw + '".'
      : j.truncated ? 'Showing the first ' + plural(rows.length, 'match', 'matches')
        + '; type more of the name to narrow it down.'
        : plural(rows.length, 'match', 'matches') + ' here and in the folders below.';
  }

  var searchSeq = 0, searchTimer = null;
  function onFilter() {
    renderRows(listing.truncated, listing.total);
    clearTimeout(searchTimer);
    var raw = $('filter').value.trim(), at = folder, seq = ++searchSeq;
    if (raw.length < 2 || raw.indexOf('/') >= 0) return;
    searchTimer = setTimeout(function () {
      call('GET', '/assets?path=' + encodeURIComponent(at) + '&q=' + encodeURIComponent(raw))
        .then(function (j) {
          if (seq === searchSeq && folder === at) renderFound(j, raw);
        }, function () { /* the open folder's matches stay */ });
    }, 250);
  }

  var listing = { truncated: false, total: 0 };
  function browse(path) {
    var status = $('assets-status');
    status.textContent = 'Loading…';
    return call('GET', '/assets?path=' + encodeURIComponent(path)).then(function (j) {
      folder = j.path;
      entries = j.entries;
      listing = { truncated: j.truncated, total: j.total };
      $('filter').value = '';
      renderCrumbs();
      renderRows(j.truncated, j.total);
    }, function (err) {
      status.textContent = err.message;
      status.className = 'error';
    });
  }

  function loadCollections() {
    return call('GET', '/collections').then(function (j) {
      var sel = $('collection');
      j.collections.forEach(function (c) {
        var o = el('option', c.name + ' (' + plural(c.paths.length, 'item', 'items') + ')');
        o.value = c.id;
        sel.appendChild(o);
      });
    }, function () { /* collections are optional; the picker still works */ });
  }

  // ---- expiry -------------------------------------------------------------------

  function preset() {
    var on = document.querySelector('input[name=preset]:checked');
    return on ? on.value : 'custom';
  }

  // The chosen expiry as a Date, or null when the custom field is empty or
  // not a date.
  function expiresAt() {
    var p = preset();
    if (p !== 'custom') return new Date(Date.now() + PRESETS[p] * 1000);
    var v = $('expires').value;
    var d = v ? new Date(v) : null;
    return d && !isNaN(d.getTime()) ? d : null;
  }

  // The expiry's problem in words, or ''.
  function expiryProblem(d) {
    if (!d) return 'Enter the date and time the link should stop working.';
    if (d.getTime() <= Date.now() + 30000) return 'Choose a time in the future.';
    if (settings && d.getTime() > Date.now() + settings.max_expiry * 1000) {
      return 'Links can last at most ' + days(settings.max_expiry) + ': choose '
        + L.when(new Date(Date.now() + settings.max_expiry * 1000)) + ' or earlier.';
    }
    return '';
  }

  function showExpiry() {
    var d = expiresAt();
    var custom = preset() === 'custom';
    $('custom').hidden = !custom;
    $('expires-hint').textContent = d && !expiryProblem(d)
      ? 'Works until ' + L.when(d) + '. Times are in your time zone' + (L.zone ? ' (' + L.zone + ').' : '.')
      : 'Times are in your time zone' + (L.zone ? ' (' + L.zone + ')' : '')
        + (settings ? '; links may last at most ' + days(settings.max_expiry) + '.' : '.');
    return d;
  }

  function onExpiryChange() {
    var d = showExpiry();
    // Cleared once fixed; a new problem shows when Share is pressed.
    if ($('expires-error').textContent && !expiryProblem(d)) clearError('expires');
  }

  function setDefaultExpiry() {
    if (!settings) return;
    var now = Date.now();
    var match = null;
    Object.keys(PRESETS).forEach(function (k) {
      var box = $('preset-' + k);
      box.disabled = PRESETS[k] > settings.max_expiry;
      box.checked = false;
      if (PRESETS[k] === settings.default_expiry) match = k;
    });
    $('preset-' + (match || 'custom')).checked = true;
    $('expires').value = L.localValue(new Date(now + settings.default_expiry * 1000));
    $('expires').min = L.localValue(new Date(now));
    $('expires').max = L.localValue(new Date(now + settings.max_expiry * 1000));
    clearError('expires');
    showExpiry();
  }

  // ---- email --------------------------------------------------------------------

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
      var li = el('li');
      li.appendChild(el('span', a));
      if (isExternal(a)) li.appendChild(el('span', 'External User', 'badge'));
      var b = L.button('×', null, 'Remove ' + a);
      b.addEventListener('click', function () {
        recipients = recipients.filter(function (x) { return x !== a; });
        renderRecipients();
        $('recipient').focus();
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
    var bad = parts.filter(function (a) { return !EMAIL.test(a); });
    if (bad.length) {
      setError('recipients', '"' + bad[0] + '" is not an email address.');
      return false;
    }
    parts.forEach(function (a) {
      if (!recipients.some(function (x) { return x.toLowerCase() === a.toLowerCase(); })) {
        recipients.push(a);
      }
    });
    input.value = '';
    clearError('recipients');
    renderRecipients();
    return true;
  }

  var suggestTimer = null;
  function suggest() {
    clearError('recipients'); // a complaint about the last try
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

  // ---- sharing ------------------------------------------------------------------

  function nameProblem(v) {
    if (Array.from(v).length > MAX_NAME) return 'Use at most ' + MAX_NAME + ' characters for the name.';
    if (/[\u0000-\u001f\u007f-\u009f]/.test(v)) return 'The name cannot hold line breaks or tabs.';
    return '';
  }

  // ---- link protection -------------------------------------------------------

  function passwordProblem(v) {
    var n = Array.from(v).length;
    var min = (settings && settings.password_min) || 8;
    var max = (settings && settings.password_max) || 256;
    if (!n) return settings && settings.require_password ? 'This server needs a password for every link.' : '';
    if (n < min || n > max) return 'Use ' + min + ' to ' + max + ' characters for the password.';
    return '';
  }

  function limitProblem(v) {
    if (v === '') return '';
    var max = (settings && settings.max_downloads_max) || 1000000;
    if (!/^\d+$/.test(v) || +v < 1 || +v > max) return 'Enter a whole number from 1 to ' + max + ', or leave it empty.';
    return '';
  }

  // 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I):
  // about 115 bits, from the browser's CSPRNG.
  function generatePassword() {
    var abc = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    var out = '';
    var buf = new Uint32Array(20);
    crypto.getRandomValues(buf);
    for (var i = 0; i < buf.length; i++) out += abc.charAt(buf[i] % abc.length);
    return out.replace(/(.{5})(?!$)/g, '$1-');
  }

  function showPassword(on) {
    $('link-password').type = on ? 'text' : 'password';
    $('password-show').setAttribute('aria-pressed', on ? 'true' : 'false');
    $('password-show').textContent = on ? 'Hide' : 'Show';
  }

  // Checks every field; shows each problem under its field. True if none.
  function validate() {
    var ok = true;
    var first = null;
    function fail(field, text, focus) {
      setError(field, text);
      ok = false;
      first = first || focus;
    }
    if (!picked.length && !$('collection').value) {
      fail('items', 'Choose at least one file or folder to share, or a collection.', $('filter'));
    }
    var n = nameProblem($('link-name').value);
    if (n) fail('name', n, $('link-name'));
    var pw = passwordProblem($('link-password').value);
    if (pw) fail('password', pw, $('link-password'));
    var lim = limitProblem($('max-downloads').value.trim());
    if (lim) fail('max_downloads', lim, $('max-downloads'));
    var e = expiryProblem(expiresAt());
    if (e) {
      if (preset() !== 'custom') { $('preset-custom').checked = true; showExpiry(); }
      fail('expires', e, $('expires'));
    }
    if (settings && settings.mail && $('recipient').value.trim() && !addRecipients()) {
      $('mail-box').open = true;
      ok = false;
      first = first || $('recipient');
    }
    if (first) first.focus();
    return ok;
  }

  // A refusal from the API, shown where it belongs.
  function refused(err) {
    var f = err.field;
    if (f === 'expires') {
      setError('expires', /past/.test(err.message) ? 'Choose a time in the future.'
        : /too far ahead/.test(err.message) ? expiryProblem(new Date(8.64e15)) : plainWords(err.message));
      $('preset-custom').checked = true;
      showExpiry();
      $('expires').focus();
    } else if (f === 'name') {
      setError('name', plainWords(err.message));
      $('link-name').focus();
    } else if (f === 'recipients' || f === 'subject' || f === 'message' || f === 'receipt') {
      $('mail-box').open = true;
      setError('recipients', plainWords(err.message));
      $('recipient').focus();
    } else if (f === 'password' || f === 'max_downloads') {
      setError(f, plainWords(err.message));
      $(FIELDS[f][1]).focus();
    } else if (f === 'allow_original') {
      $('share-error').textContent = plainWords(err.message);
    } else if (f === 'paths' || f === 'collection') {
      setError('items', plainWords(err.message));
    } else {
      $('share-error').textContent = err.message;
    }
  }

  function confirmation(j) {
    var n = j.items.length;
    var text = 'Shared ' + plural(n, 'item', 'items') + '. The link works until '
      + L.when(j.expires) + '.';
    if (j.recipients.length) {
      text += ' Email to ' + plural(j.recipients.length, 'recipient', 'recipients') + ' is on its way.';
    }
    return text;
  }

  function showResult(j) {
    var items = $('shared-items');
    clear(items);
    j.items.forEach(function (it) { items.appendChild(chip(it.path, it.kind)); });
    $('h-result').textContent = j.name ? '“' + j.name + '” is ready to share' : 'Your link is ready';
    $('confirmation').textContent = confirmation(j);
    $('share-link').value = j.url;
    $('open-link').href = j.url;
    var subject = j.name || (j.items.length === 1 ? base(j.items[0].path) : 'Shared files');
    $('mail-link').href = 'mailto:?subject=' + encodeURIComponent(subject)
      + '&body=' + encodeURIComponent('Here is the link:\n' + j.url
      + '\n\nIt works until ' + L.when(j.expires) + '.');
    $('copy-status').textContent = '';
    laterOffer(j);
    $('share-form').hidden = true;
    $('result').hidden = false;
    $('share-link').focus();
    $('share-link').select();
  }

  // ---- email after Share ----------------------------------------------------------

  var shared = null; // the share just made, as the API last described it

  function laterReset() {
    $('mail-later').hidden = true;
    $('mail-later-open').setAttribute('aria-expanded', 'false');
    ['later-to', 'later-subject', 'later-message'].forEach(function (id) { $(id).value = ''; });
    $('later-status').textContent = '';
    clearError('later');
  }

  // Mail through the server when it sends mail, else the sharer's own app.
  function laterOffer(j) {
    var mail = !!(settings && settings.mail);
    shared = j;
    $('mail-later-open').hidden = !mail;
    $('mail-link').hidden = mail;
    laterReset();
    $('later-subject').placeholder = j.name || '';
  }

  function laterAddresses() {
    var parts = $('later-to').value.split(/[\s,;]+/).filter(Boolean);
    var bad = parts.filter(function (a) { return !EMAIL.test(a); });
    if (!parts.length) setError('later', 'Enter the email address to send the link to.');
    else if (bad.length) setError('later', '"' + bad[0] + '" is not an email address.');
    return parts.length && !bad.length ? parts : null;
  }

  function laterSend(ev) {
    ev.preventDefault();
    clearError('later');
    var to = laterAddresses();
    if (!to) {
      $('later-to').focus();
      return;
    }
    var body = { recipients: to };
    var subject = $('later-subject').value.trim();
    if (subject) body.subject = subject;
    if ($('later-message').value.trim()) body.message = $('later-message').value;
    var button = $('later-send');
    button.disabled = true;
    $('later-status').textContent = 'Sending…';
    call('POST', '/shares/' + encodeURIComponent(shared.id) + '/recipients', body).then(function (j) {
      shared = j;
      $('later-to').value = '';
      $('later-status').textContent = 'Email to ' + to.join(', ') + ' is on its way.';
      $('confirmation').textContent = confirmation(j);
    }, function (err) {
      $('later-status').textContent = '';
      setError('later', plainWords(err.message));
      $('later-to').focus();
    }).then(function () { button.disabled = false; });
  }

  function share(ev) {
    ev.preventDefault();
    $('share-error').textContent = '';
    if (!validate()) return;
    var body = {
      paths: picked.map(function (p) { return p.path; }),
      allow_original: $('allow-original').checked,
      expires: L.rfc3339(expiresAt()),
    };
    var collection = $('collection').value;
    if (collection) body.collection = collection;
    var name = $('link-name').value.trim();
    if (name) body.name = name;
    if ($('link-password').value) body.password = $('link-password').value;
    if ($('max-downloads').value.trim()) body.max_downloads = +$('max-downloads').value.trim();
    if (settings && settings.mail && recipients.length) {
      body.recipients = recipients.slice();
      if ($('subject').value) body.subject = $('subject').value;
      if ($('message').value) body.message = $('message').value;
    }
    var button = $('share');
    button.disabled = true;
    call('POST', '/shares', body).then(showResult, refused)
      .then(function () { button.disabled = false; });
  }

  function again() {
    picked = [];
    recipients = [];
    renderPicked();
    renderRecipients();
    syncChecks();
    ['items', 'name', 'expires', 'recipients'].forEach(clearError);
    $('link-name').value = '';
    $('link-password').value = '';
    $('max-downloads').value = '';
    showPassword(false);
    ['password', 'max_downloads'].forEach(clearError);
    $('subject').value = '';
    $('message').value = '';
    $('collection').value = '';
    $('share-link').value = '';
    $('result').hidden = true;
    $('share-form').hidden = false;
    setDefaultExpiry();
    $('filter').focus();
  }

  function applySettings(s) {
    settings = s;
    setDefaultExpiry();
    // The admin's originals policy: the default, and whether it may change.
    if (typeof s.allow_original === 'boolean') $('allow-original').checked = s.allow_original;
    if (s.originals_choice === 'readonly') {
      $('allow-original').disabled = true;
      $('original-hint').textContent = s.allow_original
        ? 'Your administrator includes original files in every link.'
        : 'Your administrator allows previews (renditions) only.';
    } else if (s.originals_choice === 'hidden') {
      $('original-row').hidden = true;
    }
    if (s.require_password) {
      $('link-password').required = true;
      $('link-password').setAttribute('aria-required', 'true');
      $('password-optional').textContent = '(required)';
    }
    if (!s.mail) {
      $('mail-off').hidden = false;
      $('mail-fields').disabled = true;
    }
  }

  $('share-form').addEventListener('submit', share);
  $('copy').addEventListener('click', function () {
    L.copy($('share-link').value, $('share-link'), $('copy-status'));
  });
  $('again').addEventListener('click', again);
  $('mail-later-open').addEventListener('click', function () {
    var form = $('mail-later');
    form.hidden = !form.hidden;
    this.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) $('later-to').focus();
  });
  $('later-cancel').addEventListener('click', function () {
    laterReset();
    $('mail-later-open').focus();
  });
  $('mail-later').addEventListener('submit', laterSend);
  $('later-to').addEventListener('input', function () { clearError('later'); });
  $('filter').addEventListener('input', onFilter);
  $('collection').addEventListener('change', function () { if (this.value) clearError('items'); });
  $('link-name').addEventListener('input', function () {
    if ($('name-error').textContent && !nameProblem(this.value)) clearError('name');
  });
  Array.prototype.forEach.call(document.querySelectorAll('input[name=preset]'), function (r) {
    r.addEventListener('change', function () {
      onExpiryChange();
      if (r.value === 'custom') $('expires').focus();
    });
  });
  $('password-show').addEventListener('click', function () {
    showPassword($('link-password').type === 'password');
  });
  $('password-generate').addEventListener('click', function () {
    $('link-password').value = generatePassword();
    showPassword(true);
    clearError('password');
    $('link-password').focus();
    $('link-password').select();
  });
  $('link-password').addEventListener('input', function () {
    if ($('password-error').textContent && !passwordProblem(this.value)) clearError('password');
  });
  $('max-downloads').addEventListener('input', function () {
    if ($('max-downloads-error').textContent && !limitProblem(this.value.trim())) clearError('max_downloads');
  });
  $('expires').addEventListener('input', onExpiryChange);
  $('expires').addEventListener('change', onExpiryChange);
  $('add-recipient').addEventListener('click', addRecipients);
  $('recipient').addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' || ev.key === ',') {
      ev.preventDefault();
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
