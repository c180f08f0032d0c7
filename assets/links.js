// The Shared Links list (ls_sharer.c renders the table head). Reads
// GET shares (admins: ?all=1) from the sharer API beside the page; Unshare
// is DELETE, a new expiry is PATCH. The DOM is built with textContent only.
(function () {
  'use strict';
  var main = document.getElementById('ls-main');
  var API = main.getAttribute('data-api');
  var $ = function (id) { return document.getElementById(id); };
  var showAll = false;
  var me = null; // the signed-in user (from settings): Resend is for their own links

  var el = LinkShareSharer.el;
  var clear = LinkShareSharer.clear;
  var call = LinkShareSharer.api(API);

  function utc(iso) { return iso.slice(0, 16).replace('T', ' ') + ' UTC'; }

  // "2026-11-28 03:37 UTC", breaking only between the date and the time.
  function when(td, iso) {
    var text = utc(iso), cut = text.indexOf(' ');
    td.appendChild(el('span', text.slice(0, cut), 'nowrap'));
    td.appendChild(document.createTextNode(' '));
    td.appendChild(el('span', text.slice(cut + 1), 'nowrap'));
  }

  function localValue(d) {
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate())
      + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
  }

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

  function row(sh) {
    var tr = el('tr');
    tr.setAttribute('data-id', sh.id);
    var td = cell(tr, 'Items', 'items');
    var ul = el('ul');
    sh.items.forEach(function (it) {
      var li = el('li', it.kind === 'folder' ? it.path + '/' : it.path);
      if (!it.available) li.appendChild(el('span', 'moved or deleted', 'badge'));
      ul.appendChild(li);
    });
    td.appendChild(ul);
    if (showAll) td.appendChild(el('div', 'Shared by ' + sh.owner, 'meta'));
    when(cell(tr, 'Created'), sh.created);
    when(cell(tr, 'Expires'), sh.expires);
    td = cell(tr, 'State');
    td.appendChild(el('span', sh.state, 'state-' + sh.state));
    td = cell(tr, 'Recipients');
    if (!sh.recipients.length) td.textContent = 'None';
    sh.recipients.forEach(function (rc) {
      var d = el('div', rc.email);
      if (rc.external) d.appendChild(el('span', 'External User', 'badge'));
      d.appendChild(document.createTextNode(' (' + rc.mail_state +
        (rc.mail_state === 'failed' && rc.mail_reply ? ': ' + rc.mail_reply : '') + ')'));
      // The sharer may send their own link again (queued mail is on its way).
      if (sh.state === 'active' && rc.mail_state !== 'queued' && sh.owner === me) {
        var again = el('button', 'Resend', 'resend');
        again.type = 'button';
        again.setAttribute('aria-label', 'Resend to ' + rc.email);
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
    cell(tr, 'Downloads', 'num').textContent = String(sh.downloads);
    td = cell(tr, 'Actions');
    if (sh.state === 'revoked') {
      td.textContent = 'Unshared';
      return tr;
    }
    var label = el('label', 'New expiry');
    var input = el('input');
    input.type = 'datetime-local';
    input.id = 'expires-' + sh.id;
    label.htmlFor = input.id;
    input.value = localValue(new Date(sh.expires));
    var change = el('button', 'Change expiry');
    change.type = 'button';
    change.addEventListener('click', function () {
      var d = new Date(input.value);
      if (!input.value || isNaN(d.getTime())) {
        fail(new Error('Enter a valid date and time.'));
        return;
      }
      change.disabled = true;
      call('PATCH', '/shares/' + encodeURIComponent(sh.id),
        { expires: d.toISOString().replace(/\.\d+Z$/, 'Z') }).then(function (j) {
        return load().then(function () { say('The link now expires ' + utc(j.expires) + '.'); });
      }, fail).then(function () { change.disabled = false; });
    });
    var unshare = el('button', 'Unshare');
    unshare.type = 'button';
    unshare.addEventListener('click', function () {
      if (!window.confirm('Unshare this link? Whoever has it will no longer be able to open it.')) return;
      unshare.disabled = true;
      call('DELETE', '/shares/' + encodeURIComponent(sh.id)).then(function () {
        return load().then(function () { say('The link was unshared; it no longer works.'); });
      }, function (err) { fail(err); unshare.disabled = false; });
    });
    var box = el('div', null, 'row');
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(change);
    box.appendChild(unshare);
    td.appendChild(box);
    return tr;
  }

  var loads = 0; // only the latest answer is shown (the toggle may race)
  function load() {
    var mine = ++loads;
    return call('GET', '/shares' + (showAll ? '?all=1' : '')).then(function (j) {
      if (mine !== loads) return;
      var body = $('links').querySelector('tbody');
      clear(body);
      j.shares.forEach(function (sh) { body.appendChild(row(sh)); });
      $('links-status').textContent = j.shares.length ? ''
        : (showAll ? 'Nobody has shared a link yet.' : 'You have not shared any links yet.');
    }, fail);
  }

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
