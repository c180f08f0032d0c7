// linkshare.js: the Link Share page's small script. The page works without
// it (a form queues downloads, the inbox is rendered by the server); this
// adds selection by click, "select all", a count and total size of what is
// selected, Queue Download only when something is selected, queuing
// without leaving the page, and a Download Inbox that refreshes itself
// with an estimate of the time left and starts a small download by itself
// when it is ready within a few seconds, and thumbnails that were still
// being made when the page was rendered fill in as they arrive; "queue
// this item" on a card or row and Download all without leaving the page;
// and the link's expiry in the recipient's own time zone, kept current.
// Every string from the server goes in through textContent, never as
// markup.
(function () {
  "use strict";
  // ---- when the link expires, in the recipient's clock ----
  var expiry = document.querySelector(".expiry time[datetime]");
  function relative(ms) {
    var m = Math.floor(ms / 60000), h = Math.floor(m / 60), d = Math.floor(h / 24);
    if (ms <= 0) return "now";
    if (m < 1) return "in less than a minute";
    if (m < 60) return "in " + m + (m === 1 ? " minute" : " minutes");
    if (h < 48) return "in " + h + (h === 1 ? " hour" : " hours");
    return "in " + d + " days";
  }
  function showExpiry() {
    var at = new Date(expiry.getAttribute("datetime")), left = at - Date.now();
    var box = expiry.closest(".expiry"), rel = box.querySelector(".rel");
    if (isNaN(at)) return;
    rel.textContent = relative(left);
    var opts = {weekday: "short", day: "numeric", month: "short",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"};
    if (at.getFullYear() !== new Date().getFullYear()) opts.year = "numeric";
    expiry.textContent = "(" + at.toLocaleString(undefined, opts) + ")";
    expiry.title = at.toISOString();
    box.classList.toggle("soon", left < 3600000);
  }
  if (expiry) {
    showExpiry();
    setInterval(showExpiry, 30000);
  }

  var form = document.getElementById("ls-select");
  var inbox = document.getElementById("ls-inbox");
  if (!form || !inbox) {
    return;
  }
  var AUTO_START_MS = 10000; // a download ready this soon starts by itself
  var boxes = form.querySelectorAll("input[name=path]");
  var all = document.getElementById("ls-all");
  var count = document.getElementById("ls-count");
  var queue = document.getElementById("ls-queue");
  var queuedAt = {};  // job id -> when this page queued it
  var started = {};   // job id -> its download was started by us
  var samples = {};   // job id -> first {t, bytes} seen while running

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
  function selected() {
    var out = [];
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) out.push(boxes[i]);
    return out;
  }

  // ---- selection ----
  function updateCount() {
    var sel = selected(), bytes = 0, folders = 0;
    sel.forEach(function (b) {
      var sz = Number(b.getAttribute("data-size"));
      if (sz >= 0) bytes += sz; else folders++;
    });
    queue.hidden = sel.length === 0;
    count.classList.remove("error");
    // A folder's size is known once it is queued (the inbox shows it).
    count.textContent = sel.length === 0 ? "Select files or folders to download them together."
      : sel.length + (sel.length === 1 ? " item" : " items") + " selected, " + size(bytes) +
        (folders ? " plus " + folders + (folders === 1 ? " folder." : " folders.") : ".");
    count.classList.toggle("some", sel.length > 0);
    if (all) all.checked = sel.length > 0 && sel.length === boxes.length;
  }
  if (all) {
    all.parentNode.hidden = boxes.length === 0;
    all.addEventListener("change", function () {
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
      updateCount();
    });
  }
  // A click anywhere on a row or card (not on its links) toggles it.
  form.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t.closest("a, input, button, label")) return;
    var item = t.closest(".item");
    var box = item && item.querySelector("input[name=path]");
    if (!box) return;
    box.checked = !box.checked;
    updateCount();
  });
  form.addEventListener("change", updateCount);
  updateCount();

  // ---- queuing without leaving the page ----
  // paths: share paths, or [] for the whole share; button: the control
  // that asked (disabled meanwhile); clear: the selection is done with.
  function queuePaths(paths, button, clear) {
    button.disabled = true;
    fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({paths: paths})
    }).then(function (r) {
      return r.json().then(function (d) { return {ok: r.ok, d: d}; });
    }).then(function (res) {
      button.disabled = false;
      if (!res.ok) {
        count.textContent = res.d.error || "The download could not be queued.";
        count.classList.add("error");
        return;
      }
      queuedAt[res.d.id] = Date.now();
      if (clear) {
        for (var i = 0; i < boxes.length; i++) boxes[i].checked = false;
      }
      updateCount();
      count.textContent = "Queued: see the Download Inbox below.";
      refresh();
    }).catch(function () {
      button.disabled = false;
      count.textContent = "The server could not be reached. Try again.";
      count.classList.add("error");
    });
  }
  form.addEventListener("submit", function (ev) {
    var paths = selected().map(function (b) { return b.value; });
    if (paths.length === 0) return; // the server's answer: everything
    ev.preventDefault();
    queuePaths(paths, queue, true);
  });
  // "Queue this item": one path, whatever else is selected.
  document.addEventListener("click", function (ev) {
    var one = ev.target.closest && ev.target.closest("button.qone");
    if (!one) return;
    ev.preventDefault();
    queuePaths([one.value], one, false);
  });
  // Download all: the whole share (an empty selection).
  var allForm = document.querySelector("form.all");
  if (allForm) {
    allForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      queuePaths([], allForm.querySelector("button"), true);
    });
  }

  // ---- the inbox ----
  function timeLeft(j) {
    var now = Date.now(), s = samples[j.id];
    if (j.state !== "running") return "";
    if (!s) { samples[j.id] = {t: now, bytes: j.bytes_done}; return ""; }
    var rate = (j.bytes_done - s.bytes) / (now - s.t); // bytes per ms
    if (now - s.t < 1500 || rate <= 0) return "";
    var left = Math.ceil((j.bytes_total - j.bytes_done) / rate / 1000);
    return left < 60 ? "about " + Math.max(left, 1) + " s left"
      : "about " + Math.round(left / 60) + " min left";
  }
  function autoStart(j) {
    var t = queuedAt[j.id];
    if (j.state !== "done" || !t || started[j.id] || (j.parts || []).length !== 1) return;
    started[j.id] = true;
    if (Date.now() - t > AUTO_START_MS) return;
    var a = el("a");
    a.href = j.parts[0].url;
    a.setAttribute("download", "");
    document.body.appendChild(a);
    a.click();
    a.remove();
    count.textContent = "Your download has started.";
  }
  function render(jobs) {
    var list = el("ul", undefined, "jobs");
    jobs.forEach(function (j) {
      var li = el("li", undefined, "job " + j.state);
      li.appendChild(el("span", j.state, "state"));
      var what = j.files_total + (j.files_total === 1 ? " file, " : " files, ") + size(j.bytes_total);
      li.appendChild(el("span", what, "what"));
      if (j.state === "queued" || j.state === "running") {
        var p = el("progress");
        p.max = j.bytes_total || 1;
        p.value = j.bytes_done;
        p.setAttribute("aria-label", "Progress");
        li.appendChild(p);
        li.appendChild(el("span", j.files_done + " of " + j.files_total + " files", "done"));
        var left = timeLeft(j);
        if (left) li.appendChild(el("span", left, "left"));
        var f = el("form", undefined, "cancel");
        f.method = "post";
        f.action = inbox.getAttribute("data-src").replace(/&op=inbox$/, "") +
          "&op=cancel&job=" + encodeURIComponent(j.id);
        f.appendChild(el("button", "Cancel"));
        li.appendChild(f);
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
      autoStart(j);
    });
    var old = inbox.querySelector("ul.jobs, p.empty");
    if (jobs.length === 0) list = el("p", "No downloads yet.", "empty");
    if (old) old.replaceWith(list); else inbox.appendChild(list);
  }
  function busy(jobs) {
    return jobs.some(function (j) { return j.state === "queued" || j.state === "running"; });
  }
  var timer = null;
  function refresh() {
    clearTimeout(timer);
    fetch(inbox.getAttribute("data-src"), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {jobs: []}; })
      .then(function (d) {
        render(d.jobs || []);
        if (busy(d.jobs || [])) timer = setTimeout(refresh, 1000);
      })
      .catch(function () { timer = setTimeout(refresh, 5000); });
  }
  var button = inbox.querySelector("a.refresh");
  if (button) {
    button.addEventListener("click", function (ev) { ev.preventDefault(); refresh(); });
  }
  if (inbox.getAttribute("data-busy") === "1") timer = setTimeout(refresh, 500);

  // Thumbnails being made (data-pending): op=thumb answers the type icon
  // (SVG) until the workers have made one; look again, three at a time,
  // every 1.5 s for up to a minute, and show each JPEG as it comes.
  var looks = [], looking = 0;
  function look(item) {
    var src = item.img.getAttribute("src").split("&v=")[0];
    looking++;
    fetch(src, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) {
        var type = r.headers.get("Content-Type") || "";
        if (r.ok && type.indexOf("image/jpeg") === 0) {
          item.img.removeAttribute("data-pending");
          item.img.src = src + "&v=" + item.tries;
        } else if (++item.tries < 40) {
          setTimeout(function () { looks.push(item); pump(); }, 1500);
        }
      })
      .catch(function () {})
      .then(function () { looking--; pump(); });
  }
  function pump() {
    while (looking < 3 && looks.length) look(looks.shift());
  }
  Array.prototype.forEach.call(document.querySelectorAll("img[data-pending]"), function (img) {
    looks.push({img: img, tries: 0});
  });
  pump();
})();
