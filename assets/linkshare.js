// linkshare.js: the Link Share page's small script. The page works without
// it (a form queues downloads, the inbox is rendered by the server); this
// adds "select all", a live selection count and a Download Inbox that
// refreshes itself while downloads are being prepared. Every string from
// the server goes in through textContent, never as markup.
(function () {
  "use strict";
  var form = document.getElementById("ls-select");
  var inbox = document.getElementById("ls-inbox");
  if (!form || !inbox) {
    return;
  }
  var boxes = form.querySelectorAll("input[name=path]");
  var all = document.getElementById("ls-all");
  var count = document.getElementById("ls-count");

  function updateCount() {
    var n = 0, bytes = 0, folders = 0;
    for (var i = 0; i < boxes.length; i++) {
      if (!boxes[i].checked) continue;
      n++;
      var sz = Number(boxes[i].getAttribute("data-size"));
      if (sz >= 0) bytes += sz; else folders++;
    }
    // A folder's size is known once it is queued (the inbox shows it).
    count.textContent = n === 0 ? "Nothing selected: Queue Download takes everything."
      : n + (n === 1 ? " item" : " items") + " selected, " + size(bytes) +
        (folders ? " plus " + folders + (folders === 1 ? " folder." : " folders.") : ".");
  }
  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
      updateCount();
    });
  }
  form.addEventListener("change", updateCount);
  updateCount();

  function size(n) {
    var u = ["bytes", "KB", "MB", "GB", "TB"], i = 0;
    while (n >= 1024 && i < 4) { n /= 1024; i++; }
    return i === 0 ? n + " bytes" : n.toFixed(1) + " " + u[i];
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function render(jobs) {
    var list = el("ul", undefined, "jobs");
    jobs.forEach(function (j) {
      var li = el("li", undefined, "job " + j.state);
      li.appendChild(el("span", j.state, "state"));
      var what = j.files_total + (j.files_total === 1 ? " file, " : " files, ") + size(j.bytes_total);
      li.appendChild(el("span", what, "what"));
      if (j.state === "queued" || j.state === "running") {
        var f = el("form", undefined, "cancel");
        f.method = "post";
        f.action = inbox.getAttribute("data-src").replace(/&op=inbox$/, "") +
          "&op=cancel&job=" + encodeURIComponent(j.id);
        f.appendChild(el("button", "Cancel"));
        li.appendChild(f);
        var p = el("progress");
        p.max = j.bytes_total || 1;
        p.value = j.bytes_done;
        p.setAttribute("aria-label", "Progress");
        li.appendChild(p);
        li.appendChild(el("span", j.files_done + " of " + j.files_total + " files", "done"));
      }
      if (j.error) li.appendChild(el("span", j.error, "error"));
      (j.parts || []).forEach(function (part) {
        var a = el("a", "Download " + part.name + " (" + size(part.size) + ")");
        a.href = part.url;
        a.setAttribute("download", "");
        var d = el("div", undefined, "part");
        d.appendChild(a);
        d.appendChild(el("code", "SHA-256 " + part.sha256, "sha"));
        li.appendChild(d);
      });
      list.appendChild(li);
    });
    var old = inbox.querySelector("ul.jobs, p.empty");
    if (jobs.length === 0) list = el("p", "No downloads yet.", "empty");
    if (old) old.replaceWith(list); else inbox.appendChild(list);
  }
  function busy(jobs) {
    return jobs.some(function (j) { return j.state === "queued" || j.state === "running"; });
  }
  function refresh() {
    fetch(inbox.getAttribute("data-src"), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {jobs: []}; })
      .then(function (d) {
        render(d.jobs || []);
        if (busy(d.jobs || [])) setTimeout(refresh, 1000);
      })
      .catch(function () { setTimeout(refresh, 5000); });
  }
  var button = document.getElementById("ls-refresh");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", refresh);
  }
  if (inbox.getAttribute("data-busy") === "1") setTimeout(refresh, 500);
})();
