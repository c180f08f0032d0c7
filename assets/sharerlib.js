// sharerlib.js: what the two sharer pages' scripts (sharer.js, links.js)
// share, loaded before them: DOM building with textContent only, and calls
// to the sharer API beside the page (JSON in and out; a refusal becomes an
// Error whose message is the API's sentence for people).
var LinkShareSharer = (function () {
  'use strict';
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // call(method, path, body) against the API at base.
  function api(base) {
    return function call(method, path, body) {
      var init = { method: method, credentials: 'same-origin', headers: {} };
      if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      return fetch(base + path, init).then(function (res) {
        return res.text().then(function (text) {
          var json = null;
          try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
          if (!res.ok) {
            throw new Error(json && json.error ? json.error
              : 'The server answered HTTP ' + res.status + '.');
          }
          return json;
        });
      }, function () {
        throw new Error('The server could not be reached. Check your connection and try again.');
      });
    };
  }

  return { el: el, clear: clear, api: api };
}());
