// Pagefind search behind Material's look (added to every page by the briefings-pagefind plugin).
// A search button in Material's header, Material's shortcuts (/, s, f open; Esc closes;
// arrow keys move through results), and a dialog holding Pagefind's default UI. Pagefind's
// UI and index load only when the dialog first opens, from this site (no outside request).
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = new URL(script.getAttribute("data-bundle"), document.baseURI).href;
  var base = new URL("..", bundle).pathname; // the site root: result URLs are relative to it
  var loading = null;

  var ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">' +
    '<path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79' +
    'l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 ' +
    '9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';

  function dialog() {
    var box = document.getElementById("ba-search");
    if (box) return box;
    box = document.createElement("div");
    box.id = "ba-search";
    box.className = "ba-search";
    box.hidden = true;
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-label", "Search the archive");
    box.innerHTML = '<div class="ba-search__backdrop"></div>' +
      '<div class="ba-search__panel md-typeset"><div id="ba-pagefind" class="ba-search__ui"></div>' +
      '<p class="ba-search__help">Filter by actor, region or year. <kbd>↑</kbd> <kbd>↓</kbd> to move, ' +
      '<kbd>Enter</kbd> to open, <kbd>Esc</kbd> to close.</p></div>';
    box.querySelector(".ba-search__backdrop").addEventListener("click", close);
    box.addEventListener("click", function (event) {
      // A result opens a page (Material's instant navigation keeps this dialog): close first.
      if (event.target.closest && event.target.closest("a.pagefind-ui__result-link")) close();
    });
    document.body.appendChild(box);
    return box;
  }

  function button() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || inner.querySelector(".ba-search-button")) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "md-header__button md-icon ba-search-button";
    b.title = "Search (/, s or f)";
    b.setAttribute("aria-label", "Search");
    b.innerHTML = ICON + '<span class="ba-search-button__label">Search</span>';
    b.addEventListener("click", open);
    var before = inner.querySelector(".md-header__source") || null;
    inner.insertBefore(b, before);
  }

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = bundle + "pagefind-ui.css";
      document.head.appendChild(css);
      var js = document.createElement("script");
      js.src = bundle + "pagefind-ui.js";
      js.onload = function () {
        /* global PagefindUI */
        new PagefindUI({
          element: "#ba-pagefind",
          bundlePath: bundle,
          baseUrl: base,
          resetStyles: false,
          showImages: false,
          showSubResults: false,
          excerptLength: 30,
          pageSize: 10,
          showEmptyFilters: false,
          translations: { placeholder: "Search the briefings" }
        });
        resolve();
      };
      js.onerror = reject;
      document.head.appendChild(js);
    });
    return loading;
  }

  function input() {
    return document.querySelector("#ba-search .pagefind-ui__search-input");
  }

  function open() {
    var box = dialog();
    box.hidden = false;
    document.documentElement.classList.add("ba-search-open");
    load().then(function () {
      var field = input();
      if (field) { field.focus(); field.select(); }
    });
  }

  function close() {
    var box = document.getElementById("ba-search");
    if (!box || box.hidden) return;
    box.hidden = true;
    document.documentElement.classList.remove("ba-search-open");
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
  }

  function move(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("#ba-search a.pagefind-ui__result-link"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
    if (at === 0 && step < 0) { input().focus(); return; }
    links[next].focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var box = document.getElementById("ba-search");
    var isOpen = box && !box.hidden;
    if (isOpen) {
      if (event.key === "Escape") { event.preventDefault(); close(); }
      else if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      return;
    }
    if (typing(event.target)) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      open();
    }
  }, true);

  function setup() { button(); close(); }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setup); // Material's instant navigation swaps the page
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
