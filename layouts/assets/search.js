// The search page: Pagefind's default UI over the bundle in pagefind/, built with the site.
// Paths are resolved from this page's own URL, so the site works from any host or sub-path.
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  var bundle = new URL(element.dataset.bundle, document.baseURI);
  var root = new URL(element.dataset.root, document.baseURI);
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: bundle.pathname,
    baseUrl: root.pathname,
    showSubResults: true,
    showImages: false,
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
    var box = document.getElementById("site-q");
    if (box) {
      box.value = query;
    }
  }
})();
