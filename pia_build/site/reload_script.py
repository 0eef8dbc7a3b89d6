"""The live-reload script ``pia serve`` adds to every page it serves (never to built files).

It waits on ``/__pia/status`` for the next build: after a good one that wrote this page (or
did not say which pages it wrote) it reloads the page, after a failed one it shows the errors
over the page. A page that runs no script of its own, after a build that named it, is
refreshed in place: the new page is fetched and its body put in place of the old one (the
browser neither navigates nor fetches the stylesheet again; the scroll position stays), and
``pia:updated`` is dispatched on the document. Anything else reloads the whole page. It also waits on ``/__pia/downloads``: a link to a
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
  function named(state) {
    // every build since this page was served named its pages, so only this one changed
    return (state.changes || []).every(function (change) {
      return change[0] <= served || change[1] !== null;
    });
  }
  function stylesheets(doc) {
    return Array.prototype.map.call(doc.querySelectorAll("link[rel=stylesheet]"), function (link) {
      return link.getAttribute("href");
    }).join(" ");
  }
  function refresh(state) {
    // put the new page's body in place of this one, or reload when that would not be the same
    if (!named(state) || document.querySelectorAll("script").length !== 1) {
      location.reload();
      return;
    }
    fetch(location.href, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, "text/html");
        var tag = next.querySelector("script[data-build]");
        if (!tag || next.querySelectorAll("script").length !== 1
            || stylesheets(next) !== stylesheets(document)) {
          location.reload();
          return;
        }
        hide();
        document.title = next.title;
        document.body.replaceWith(document.adoptNode(next.body));
        served = Number(tag.dataset.build);
        var pending = (tag.dataset.pending || "").split(" ").filter(Boolean);
        mark(pending.map(decodeURIComponent));
        if (pending.length && !asking) { downloads(-1); }
        document.dispatchEvent(new Event("pia:updated"));
        poll(served);
      })
      .catch(function () { location.reload(); });
  }
  function poll(since) {
    fetch("/__pia/status?since=" + since, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.build !== served && state.ok && concerns(state)) { refresh(state); return; }
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
  var asking = false;
  function downloads(since) {
    asking = true;
    fetch("/__pia/downloads?since=" + since, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        mark(state.pending);
        // wait on only while something is being made: the next edit refreshes the page anyway
        asking = state.pending.length > 0;
        if (asking) { downloads(state.generation); }
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
