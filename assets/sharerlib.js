// sharerlib.js: what the two sharer pages' scripts (sharer.js, links.js)
// share, loaded before them: DOM building with textContent only, type
// icons as inline SVG, times in the sharer's own time zone, copying to the
// clipboard, and calls to the sharer API beside the page (JSON in and out;
// a refusal becomes an Error whose message is the API's sentence and whose
// field is the field it names, if any).
var LinkShareSharer = (function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function button(text, cls, label) {
    var b = el('button', text, cls);
    b.type = 'button';
    if (label) b.setAttribute('aria-label', label);
    return b;
  }

  // ---- icons ---------------------------------------------------------------

  var TYPES = [
    [/\.(jpe?g|png|gif|webp|heic|heif|tiff?|bmp|svg|avif)$/i, '#2d8a4e'],
    [/\.(mp4|m4v|mov|webm|mkv|avi|mpe?g)$/i, '#7b4bc4'],
    [/\.(mp3|wav|flac|m4a|aac|ogg|opus)$/i, '#c4620f'],
    [/\.pdf$/i, '#d23c2f'],
    [/\.(zip|tar|gz|tgz|bz2|xz|7z|rar)$/i, '#8a6d3b'],
    [/\.(txt|md|csv|rtf|docx?|odt|xlsx?|ods|pptx?|odp|html?|json|xml)$/i, '#3d6fb6'],
  ];

  function path(d, fill) {
    var p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', fill);
    return p;
  }

  // A 20x20 icon for a folder, or a file coloured by its type.
  function icon(kind, name) {
    var s = document.createElementNS(SVG, 'svg');
    s.setAttribute('viewBox', '0 0 20 20');
    s.setAttribute('class', 'icon');
    s.setAttribute('aria-hidden', 'true');
    s.setAttribute('focusable', 'false');
    if (kind === 'folder') {
      s.appendChild(path('M1.5 5A1.5 1.5 0 0 1 3 3.5h4.4l1.8 2H17A1.5 1.5 0 0 1 18.5 7v8.5A1.5 1.5 0 0 1 17 17H3a1.5 1.5 0 0 1-1.5-1.5z', '#3b82e0'));
      s.appendChild(path('M1.5 8h17v7.5A1.5 1.5 0 0 1 17 17H3a1.5 1.5 0 0 1-1.5-1.5z', '#5b9cf0'));
      return s;
    }
    var fill = '#7d8590';
    TYPES.forEach(function (t) { if (t[0].test(name || '')) fill = t[1]; });
    s.appendChild(path('M4.5 1.5h7.5l4.5 4.5v11.5a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1v-15a1 1 0 0 1 1-1z', fill));
    s.appendChild(path('M12 1.5V5a1 1 0 0 0 1 1h3.5z', 'rgba(255,255,255,.55)'));
    return s;
  }

  // ---- times -----------------------------------------------------------------

  var zone = '';
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { zone = ''; }

  // "Wed, Dec 2, 2026, 5:06 PM EST": the sharer's locale and time zone.
  // day(d): "Dec 31, 2025" only.
  function when(d, withZone) {
    d = d instanceof Date ? d : new Date(d);
    var o = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
      hour: 'numeric', minute: '2-digit' };
    if (withZone !== false) o.timeZoneName = 'short';
    if (withZone === 'day') o = { day: 'numeric', month: 'short', year: 'numeric' };
    try { return new Intl.DateTimeFormat(undefined, o).format(d); } catch (e) { return d.toString(); }
  }

  // "in 6 days", "2 hours ago".
  function relative(d) {
    var s = ((d instanceof Date ? d : new Date(d)) - Date.now()) / 1000;
    var units = [['year', 31536000], ['month', 2592000], ['week', 604800],
      ['day', 86400], ['hour', 3600], ['minute', 60]];
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(s) >= units[i][1] || i === units.length - 1) {
        var n = Math.round(s / units[i][1]);
        try {
          return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(n, units[i][0]);
        } catch (e) { return ''; }
      }
    }
    return '';
  }

  // A Date as the value of a datetime-local input (local time).
  function localValue(d) {
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate())
      + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
  }

  function rfc3339(d) { return d.toISOString().replace(/\.\d+Z$/, 'Z'); }

  // ---- copying ---------------------------------------------------------------

  // Copies text; says how in status. field (an input holding the text) is
  // selected when the clipboard is out of reach.
  function copy(text, field, status) {
    function fallback() {
      var ok = false;
      if (field) {
        field.focus();
        field.select();
        try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      }
      status.textContent = ok ? 'Copied.' : 'The link is selected: press Ctrl+C (or ⌘C) to copy it.';
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        status.textContent = 'Copied.';
      }, fallback);
    } else {
      fallback();
    }
  }

  // ---- the API ---------------------------------------------------------------

  // call(method, path, body) against the API at base.
  function api(base) {
    return function call(method, p, body) {
      var init = { method: method, credentials: 'same-origin', headers: {} };
      if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      return fetch(base + p, init).then(function (res) {
        return res.text().then(function (text) {
          var json = null;
          try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
          if (!res.ok) {
            var err = new Error(json && json.error ? json.error
              : 'The server answered HTTP ' + res.status + '.');
            var m = /^Field "([a-z_]+)"/.exec(err.message);
            err.field = m ? m[1] : null;
            err.status = res.status;
            throw err;
          }
          return json;
        });
      }, function () {
        throw new Error('The server could not be reached. Check your connection and try again.');
      });
    };
  }

  return { el: el, clear: clear, button: button, icon: icon, when: when,
    relative: relative, zone: zone, localValue: localValue, rfc3339: rfc3339,
    copy: copy, api: api };
}());
