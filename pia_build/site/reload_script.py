"""The live-reload script ``pia serve`` adds to every page it serves (never to built files).

It waits on ``/__pia/status`` for the next build: after a good one that wrote this page (or
did not say which pages it wrote) it reloads the page, after a failed one it shows the errors
over the page. It also waits on ``/__pia/downloads``: a link to a
file that is still being made in the background (a PDF or DOCX after an edit) says so until the
file is ready, and ``<html data-pia-downloads>`` reads ``pending`` or ``ready``.
"""

RELOAD_SCRIPT = """\
// pia serve: reload after each good build; show a failed build's errors over the page;
// mark links to files that are still being made.
(function () {
  "use strict";
  var me = document.currentScript;
  var box = null;
  function show(errors) {
    if (!box) {
      box = document.createElement("div");
      box.id = "pia-build-errors";
      box.setAttribute("role", "alert");
      Object.assign(box.style, {
        position: "fixed", left: "0", right: "0", bottom: "0", maxHeight: "60vh",
        overflow: "auto", margin: "0", padding: "1rem", zIndex: "2147483647",
        background: "#fff0f0", color: "#600", borderTop: "4px solid #b00",
        font: "13px/1.5 monospace", whiteSpace: "pre-wrap"
      });
      document.body.appendChild(box);
    }
    box.textContent = "pia serve: the build failed\\n\\n" + errors.join("\\n");
  }
  function hide() {
    if (box) { box.remove(); box = null; }
  }
  var served = Number(me && me.dataset.build);
  var here = decodeURIComponent(location.pathname).slice(1);
  if (here === "" || here.slice(-1) === "/") { here += "index.html"; }
  function concerns(state) {
    // did a build after the one this page was served at write it (or not say what it wrote)?
    var changes = state.changes || [];
    if (!changes.length || changes[0][0] > served + 1) { return true; }
    return changes.some(function (change) {
      return change[0] > served && (change[1] === null || change[1].indexOf(here) >= 0);
    });
  }
  function poll(since) {
    fetch("/__pia/status?since=" + since, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.build !== served && state.ok && concerns(state)) { location.reload(); return; }
        if (state.ok) { hide(); } else { show(state.errors); }
        poll(state.build);
      })
      .catch(function () { setTimeout(function () { poll(since); }, 1000); });
  }
  function mark(pending) {
    var wanted = {};
    pending.forEach(function (path) { wanted["/" + path] = true; });
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var path = decodeURIComponent(new URL(link.getAttribute("href"), location.href).pathname);
      var note = link.querySelector(".pia-pending");
      if (wanted[path] && !note) {
        note = document.createElement("span");
        note.className = "pia-pending";
        note.textContent = "（作成中…）";
        link.appendChild(note);
        link.setAttribute("aria-busy", "true");
      } else if (!wanted[path] && note) {
        note.remove();
        link.removeAttribute("aria-busy");
      }
    }
    document.documentElement.dataset.piaDownloads = pending.length ? "pending" : "ready";
  }
  function downloads(since) {
    fetch("/__pia/downloads?since=" + since, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        mark(state.pending);
        // wait on only while something is being made: the next edit reloads the page anyway
        if (state.pending.length) { downloads(state.generation); }
      })
      .catch(function () { setTimeout(function () { downloads(since); }, 1000); });
  }
  if (!isNaN(served)) {
    var pending = ((me && me.dataset.pending) || "").split(" ").filter(Boolean);
    if (pending.length) { mark(pending.map(decodeURIComponent)); }
    poll(-1);
    downloads(-1);
  }
})();
"""
