// linkshare.js: the Link Share page's small script. The page works without
// it (a form queues downloads, the inbox is rendered by the server and the
// header's control links to it); this adds selection by click, "select
// all", a count and total size of what is selected, Queue Download only
// when something is selected, queuing without leaving the page; the
// Download Inbox as a panel (a modal dialog the header's control opens)
// with its jobs pushed by the server (op=events; op=inbox each second where
// a stream is refused), an estimate of the time left, a small download
// started by itself when it is ready within a few seconds, Cancel, Remove
// and Download all parts without leaving the page, and a sentence when the
// link is withdrawn or expires while the page is open; thumbnails that
// were still being made fill in as they arrive; "queue this item" and
// Download all; and the link's expiry in the recipient's own time zone.
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
      if (r.status === 410) return {gone: true};
      return r.json().then(function (d) { return {ok: r.ok, d: d}; });
    }).then(function (res) {
      button.disabled = false;
      if (res.gone) { linkGone(); return; }
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
      count.textContent = "Queued: it appears in the Download Inbox.";
      refresh();
    }).catch(function () {
      button.disabled = false;
      if (dead) return;
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

  // ---- the inbox: a panel, its jobs pushed by the server ----
  // The section is rendered into the page (the no-script inbox); here it
  // moves into a modal dialog the header's control opens. Jobs arrive by
  // server-sent events (op=events); where a stream is refused (503), cut
  // or not supported, op=inbox is asked each second while a job runs.
  var opener = document.getElementById("ls-inbox-open");
  var badge = document.getElementById("ls-inbox-count");
  var status = document.getElementById("ls-inbox-status");
  var closeBtn = inbox.querySelector("button.close");
  var panel = null;
  if (window.HTMLDialogElement && opener) {
    panel = document.createElement("dialog");
    panel.className = "panel";
    panel.id = "ls-inbox-panel";
    panel.setAttribute("aria-labelledby", "ls-inbox-h");
    document.body.appendChild(panel);
    panel.appendChild(inbox);
    closeBtn.hidden = false;
    var refreshLink = inbox.querySelector("a.refresh");
    if (refreshLink) refreshLink.hidden = true;
    opener.addEventListener("click", function (ev) {
      ev.preventDefault();
      openPanel(opener);
    });
    closeBtn.addEventListener("click", function () { panel.close(); });
    // A click on the backdrop (the dialog itself, beside its box) closes.
    panel.addEventListener("click", function (ev) {
      if (ev.target === panel) panel.close();
    });
    panel.addEventListener("close", function () {
      (lastOpener.hidden ? opener : lastOpener).focus({preventScroll: true});
    });
  }
  // Scrolled past the header, the control stays at hand: a copy of it,
  // fixed to the bottom right corner, while the header's is out of view.
  var lastOpener = opener;
  if (panel && window.IntersectionObserver) {
    var float = opener.cloneNode(true);
    float.id = "ls-inbox-float";
    float.classList.add("float");
    float.querySelector(".count").removeAttribute("id");
    float.removeAttribute("href");
    float.setAttribute("role", "button");
    float.setAttribute("tabindex", "0");
    float.hidden = true;
    document.body.appendChild(float);
    float.addEventListener("click", function (ev) { ev.preventDefault(); openPanel(float); });
    float.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); openPanel(float); }
    });
    new IntersectionObserver(function (es) {
      float.hidden = es[0].isIntersecting;
    }).observe(opener);
  }
  function openPanel(from) {
    if (!panel) { inbox.scrollIntoView(); return; }
    lastOpener = from || opener;
    if (!panel.open) panel.showModal();
    closeBtn.focus();
  }

  function ago(created) {
    var s = Math.max(0, Math.floor(Date.now() / 1000 - created));
    var m = Math.floor(s / 60), h = Math.floor(m / 60), d = Math.floor(h / 24);
    if (s < 60) return "asked just now";
    if (m < 60) return "asked " + m + (m === 1 ? " minute" : " minutes") + " ago";
    if (h < 48) return "asked " + h + (h === 1 ? " hour" : " hours") + " ago";
    return "asked " + d + " days ago";
  }
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
  function download(url) {
    var a = el("a");
    a.href = url;
    a.setAttribute("download", "");
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function autoStart(j) {
    var t = queuedAt[j.id];
    if (j.state !== "done" || !t || started[j.id] || (j.parts || []).length !== 1) return;
    started[j.id] = true;
    if (Date.now() - t > AUTO_START_MS) return;
    download(j.parts[0].url);
    count.textContent = "Your download has started.";
  }
  var base = inbox.getAttribute("data-src").replace(/&op=inbox$/, "");
  function actionForm(cls, op, id, label) {
    var f = el("form", undefined, cls);
    f.method = "post";
    f.action = base + "&op=" + op + "&job=" + encodeURIComponent(id);
    f.appendChild(el("button", label));
    return f;
  }
  function jobItem(j) {
    var li = el("li", undefined, "job " + j.state);
    li.setAttribute("data-job", j.id);
    var head = el("div", undefined, "job-head");
    head.appendChild(el("span", j.label || (j.files_total + " files"), "what"));
    head.appendChild(el("span", j.state, "state"));
    li.appendChild(head);
    var meta = el("p", undefined, "job-meta");
    meta.appendChild(el("span", j.files_total + (j.files_total === 1 ? " file, " : " files, ") +
      size(j.bytes_total), "size"));
    var t = el("time", ago(j.created), "asked");
    t.setAttribute("datetime", new Date(j.created * 1000).toISOString());
    t.title = new Date(j.created * 1000).toLocaleString();
    meta.appendChild(t);
    li.appendChild(meta);
    var busyJob = j.state === "queued" || j.state === "running";
    if (busyJob) {
      var pr = el("div", undefined, "progress");
      var p = el("progress");
      p.max = j.bytes_total || 1;
      p.value = j.bytes_done;
      p.setAttribute("aria-label", "Progress");
      pr.appendChild(p);
      pr.appendChild(el("span", j.files_done + " of " + j.files_total + " files", "done"));
      var left = timeLeft(j);
      if (left) pr.appendChild(el("span", left, "left"));
      li.appendChild(pr);
    }
    if (j.error) li.appendChild(el("p", j.error, "error"));
    var parts = j.parts || [];
    if (parts.length) {
      var ul = el("ul", undefined, "parts");
      var det = el("details", undefined, "sha");
      det.appendChild(el("summary", "SHA-256 checksums"));
      var sums = el("ul");
      parts.forEach(function (part) {
        var a = el("a", "Download " + part.name + " (" + size(part.size) + ")");
        a.href = part.url;
        a.setAttribute("download", "");
        var pli = el("li", undefined, "part");
        pli.appendChild(a);
        ul.appendChild(pli);
        var sli = el("li");
        sli.appendChild(el("span", part.name));
        sli.appendChild(el("code", part.sha256));
        sums.appendChild(sli);
      });
      det.appendChild(sums);
      li.appendChild(ul);
      li.appendChild(det);
    }
    var acts = el("div", undefined, "job-actions");
    if (parts.length > 1) {
      acts.appendChild(el("button", "Download all " + parts.length + " parts", "dlall"));
      acts.lastChild.type = "button";
    }
    acts.appendChild(busyJob ? actionForm("cancel", "cancel", j.id, "Cancel")
      : actionForm("remove", "remove", j.id, "Remove"));
    li.appendChild(acts);
    return li;
  }
  var shown = []; // the jobs last rendered
  // The same jobs in the same states as shown: only their figures moved.
  function sameShape(a, b) {
    return a.length === b.length && a.every(function (j, i) {
      return j.id === b[i].id && j.state === b[i].state &&
        (j.parts || []).length === (b[i].parts || []).length && j.error === b[i].error;
    });
  }
  // Progress in place: the buttons under the pointer are not replaced
  // while a job runs (a click would be lost between press and release).
  function patch(jobs) {
    jobs.forEach(function (j) {
      var li = inbox.querySelector('li.job[data-job="' + j.id + '"]');
      var p = li && li.querySelector("progress");
      if (!li) return;
      li.querySelector("time.asked").textContent = ago(j.created);
      if (!p) return;
      p.max = j.bytes_total || 1;
      p.value = j.bytes_done;
      li.querySelector(".progress .done").textContent = j.files_done + " of " + j.files_total + " files";
      var left = timeLeft(j), l = li.querySelector(".progress .left");
      if (left && !l) li.querySelector(".progress").appendChild(el("span", left, "left"));
      else if (l) l.textContent = left;
    });
  }
  function render(jobs) {
    var before = shown;
    shown = jobs;
    if (inbox.querySelector("ul.jobs") && sameShape(jobs, before)) {
      patch(jobs);
      jobs.forEach(autoStart);
      badges(jobs);
      return;
    }
    var list = el("ul", undefined, "jobs");
    // Keep an open SHA-256 toggle open across updates.
    var open = {};
    Array.prototype.forEach.call(inbox.querySelectorAll("li.job details[open]"), function (d) {
      open[d.closest("li.job").getAttribute("data-job")] = true;
    });
    jobs.forEach(function (j) {
      var li = jobItem(j);
      if (open[j.id]) li.querySelector("details").open = true;
      list.appendChild(li);
      autoStart(j);
    });
    var old = inbox.querySelector("ul.jobs, p.empty");
    if (jobs.length === 0) {
      list = el("p", "No downloads yet. Select files and Queue Download: they are packaged here.", "empty");
    }
    // Focus inside a job stays on the same control of that job (by its
    // place among the job's controls), or goes to the panel's close.
    var f = document.activeElement, fJob = null, fAt = -1;
    if (f && inbox.contains(f) && f.closest("li.job")) {
      var li0 = f.closest("li.job");
      fJob = li0.getAttribute("data-job");
      fAt = Array.prototype.indexOf.call(li0.querySelectorAll("a, button, summary"), f);
    }
    if (old) old.replaceWith(list); else inbox.appendChild(list);
    if (fJob) {
      var li1 = list.querySelector('li.job[data-job="' + fJob + '"]');
      var ctl = li1 && li1.querySelectorAll("a, button, summary")[fAt];
      if (ctl) ctl.focus(); else if (panel && panel.open) closeBtn.focus();
    }
    badges(jobs);
  }
  function badges(jobs) {
    Array.prototype.forEach.call(document.querySelectorAll(".inbox-open"), function (o) {
      var b = o.querySelector(".count");
      b.hidden = jobs.length === 0;
      b.querySelector(".n").textContent = String(jobs.length);
      b.querySelector(".visually-hidden").textContent = jobs.length === 1 ? " download" : " downloads";
      o.classList.toggle("busy", busy(jobs));
    });
  }
  function busy(jobs) {
    return jobs.some(function (j) { return j.state === "queued" || j.state === "running"; });
  }
  var dead = false; // the link was revoked or expired
  function linkGone(why) {
    dead = true;
    if (es) es.close();
    clearTimeout(timer);
    var msg = why || "This link is no longer valid: it was withdrawn or has expired. " +
      "Ask the person who shared it for a new link.";
    status.textContent = msg;
    status.className = "status gone";
    var empty = inbox.querySelector("p.empty");
    if (empty) empty.hidden = true; // "select files" no longer applies
    count.textContent = msg;
    count.classList.add("error");
    queue.disabled = true;
  }
  var timer = null;
  function refresh() {
    clearTimeout(timer);
    if (dead) return;
    fetch(inbox.getAttribute("data-src"), {credentials: "same-origin"})
      .then(function (r) {
        if (r.status === 410) { linkGone(); return null; }
        return r.ok ? r.json() : {jobs: shown};
      })
      .then(function (d) {
        if (!d) return;
        render(d.jobs || []);
        if (!es && busy(d.jobs || [])) timer = setTimeout(refresh, 1000);
      })
      .catch(function () { if (!es) timer = setTimeout(refresh, 5000); });
  }
  // Progress pushed: EventSource reconnects by itself when a stream ends
  // (the server's duration); a refused or failed one is CLOSED: poll.
  var es = null;
  function listen() {
    var src = inbox.getAttribute("data-events");
    if (!window.EventSource || !src || dead) return false;
    es = new EventSource(src);
    es.addEventListener("jobs", function (ev) {
      try { render(JSON.parse(ev.data).jobs || []); } catch (e) { /* next one */ }
    });
    es.addEventListener("gone", function (ev) {
      var why;
      try { why = JSON.parse(ev.data).error; } catch (e) { why = null; }
      linkGone(why);
    });
    es.addEventListener("error", function () {
      if (es && es.readyState === EventSource.CLOSED) {
        es = null;
        refresh(); // tells a 410 apart, polls while busy
        setTimeout(function () { if (!es && !dead) listen(); }, 30000);
      }
    });
    return true;
  }
  if (!listen() && inbox.getAttribute("data-busy") === "1") timer = setTimeout(refresh, 500);

  // Cancel, Remove and Download all parts, without leaving the page.
  inbox.addEventListener("submit", function (ev) {
    var f = ev.target;
    if (!f.matches("form.cancel, form.remove")) return;
    ev.preventDefault();
    var b = f.querySelector("button");
    b.disabled = true;
    fetch(f.action, {method: "POST", credentials: "same-origin",
      headers: {"Accept": "application/json"}})
      .then(function (r) {
        if (r.status === 410) { linkGone(); return; }
        if (!r.ok) {
          return r.json().then(function (d) { status.textContent = d.error || "That did not work."; });
        }
        var id = f.closest("li.job").getAttribute("data-job");
        status.textContent = f.className === "remove" ? "Removed." : "Cancelled.";
        // Cancelled: shown as such (with Remove) from the server's answer.
        if (f.className === "remove") render(shown.filter(function (j) { return j.id !== id; }));
        else refresh();
      })
      .catch(function () { status.textContent = "The server could not be reached. Try again."; })
      .then(function () { b.disabled = false; });
  });
  inbox.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("button.dlall");
    if (!b) return;
    var links = b.closest("li.job").querySelectorAll("li.part a");
    // One at a time: browsers drop downloads started in the same instant.
    Array.prototype.forEach.call(links, function (a, i) {
      setTimeout(function () { download(a.href); }, i * 400);
    });
    status.textContent = "Downloading " + links.length + " parts.";
  });
  // Jobs rendered by the server: the script's own markup from here on.
  Array.prototype.forEach.call(inbox.querySelectorAll("button.dlall"), function (b) { b.hidden = false; });

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
