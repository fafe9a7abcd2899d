// Pagefind search behind Material's look (added to every page by the briefings-pagefind plugin).
// A search button in Material's header, Material's shortcuts (/, s, f open; Esc closes;
// arrow keys move through results) and a small dialog on Pagefind's JS API (pagefind.js).
// Why not Pagefind's default UI: it loads every filter list to show counts before the first
// result (133 KB of actors at 10,000 briefings) and weighs 120 KB itself. Here a first query
// fetches pagefind.js, its WebAssembly, the page metadata, the word-index chunks it needs and
// ten result fragments; the filter lists load only when the reader opens the filter panel.
// Everything comes from this site (no outside request). Titles, dates, sources and filter
// values come from untrusted briefings: they are set as text, never as HTML; excerpts keep
// only the <mark> elements Pagefind adds.
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = new URL(script.getAttribute("data-bundle"), document.baseURI).href;
  var base = new URL("..", bundle).pathname; // the site root: result URLs are relative to it
  var FILTERS = ["actor", "region", "year"]; // the plugin's data-pagefind-filter names, shown in this order
  var PAGE = 10; // results whose fragments are fetched at a time

  var pagefind = null; // the pagefind.js module, once loaded
  var loading = null;
  var filtersLoading = null;
  var selected = {}; // filter name -> array of checked values
  var current = null; // {results, shown} of the last search
  var searchId = 0;

  var ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">' +
    '<path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79' +
    'l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 ' +
    '9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function $(selector) {
    return document.querySelector("#ba-search " + selector);
  }

  // The dialog's fixed markup holds no data; results and filters are built with el().
  // Class names pagefind-ui__search-input / __result-link / __message are what
  // benchmarks/run.py and the browser tests look for.
  function dialog() {
    var box = document.getElementById("ba-search");
    if (box) return box;
    box = el("div", "ba-search");
    box.id = "ba-search";
    box.hidden = true;
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-label", "Search the archive");
    box.innerHTML = '<div class="ba-search__backdrop"></div>' +
      '<div class="ba-search__panel md-typeset">' +
      '<form class="ba-search__form" role="search">' +
      '<input class="ba-search__input pagefind-ui__search-input" type="search" autocomplete="off" ' +
      'spellcheck="false" placeholder="Search the briefings" aria-label="Search the briefings">' +
      '<button type="button" class="ba-search__toggle md-button" aria-expanded="false" ' +
      'aria-controls="ba-search-filters">Filters</button></form>' +
      '<div id="ba-search-filters" class="ba-search__filters" hidden></div>' +
      '<p class="ba-search__message pagefind-ui__message" role="status" aria-live="polite"></p>' +
      '<ol class="ba-search__results"></ol>' +
      '<button type="button" class="ba-search__more md-button" hidden>More results</button>' +
      '<p class="ba-search__help"><kbd>↑</kbd> <kbd>↓</kbd> to move, ' +
      '<kbd>Enter</kbd> to open, <kbd>Esc</kbd> to close.</p></div>';
    box.querySelector(".ba-search__backdrop").addEventListener("click", close);
    box.querySelector(".ba-search__form").addEventListener("submit", function (event) { event.preventDefault(); });
    box.querySelector(".ba-search__input").addEventListener("input", function () { run(); });
    box.querySelector(".ba-search__toggle").addEventListener("click", toggleFilters);
    box.querySelector(".ba-search__more").addEventListener("click", function () { more(); });
    box.addEventListener("click", function (event) {
      // A result opens a page (Material's instant navigation keeps this dialog): close first.
      if (event.target.closest && event.target.closest("a.ba-search__link")) close();
    });
    document.body.appendChild(box);
    return box;
  }

  function button() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || inner.querySelector(".ba-search-button")) return;
    var b = el("button", "md-header__button md-icon ba-search-button");
    b.type = "button";
    b.title = "Search (/, s or f)";
    b.setAttribute("aria-label", "Search");
    b.innerHTML = ICON + '<span class="ba-search-button__label">Search</span>';
    b.addEventListener("click", open);
    inner.insertBefore(b, inner.querySelector(".md-header__source") || null);
  }

  // pagefind.js is an ES module; import() works from this classic script. In the main
  // thread (noWorker): a search is milliseconds, and a worker would add its own 41 KB script.
  function load() {
    if (loading) return loading;
    loading = import(bundle + "pagefind.js").then(function (module) {
      return module.options({ basePath: bundle, baseUrl: base, excerptLength: 30, noWorker: true }).then(function () {
        pagefind = module;
        return module.init();
      });
    });
    loading.catch(function () {
      loading = null;
      message("Search is unavailable: its index could not be loaded.");
    });
    return loading;
  }

  function message(text) {
    var node = $(".ba-search__message");
    if (node) node.textContent = text;
  }

  function activeFilters() {
    var filters = {};
    var any = false;
    FILTERS.forEach(function (name) {
      if (selected[name] && selected[name].length) { filters[name] = { any: selected[name].slice() }; any = true; }
    });
    return any ? filters : null;
  }

  // Search as the reader types or ticks a filter; only the latest search draws.
  function run() {
    var id = ++searchId;
    var term = $(".ba-search__input").value.trim();
    var filters = activeFilters();
    if (!term && !filters) { draw(id, null); return; }
    load().then(function () {
      // A null term searches by filters alone.
      return pagefind.debouncedSearch(term || null, { filters: filters || {} }, 250);
    }).then(function (search) {
      if (search && id === searchId) draw(id, search);
    });
  }

  function draw(id, search) {
    var list = $(".ba-search__results");
    list.textContent = "";
    $(".ba-search__more").hidden = true;
    current = search ? { results: search.results, shown: 0, id: id } : null;
    if (!search) { message(""); updateCounts(null); return; }
    var n = search.results.length;
    message(n === 0 ? "No briefing matches." : n === 1 ? "1 result" : n + " results");
    updateCounts(search.filters);
    more();
  }

  // Fetch the fragments of the next PAGE results only (result.data()).
  function more() {
    var state = current;
    if (!state) return;
    var slice = state.results.slice(state.shown, state.shown + PAGE);
    state.shown += slice.length;
    var list = $(".ba-search__results");
    var items = slice.map(function () { return list.appendChild(el("li", "ba-search__result pagefind-ui__result")); });
    $(".ba-search__more").hidden = state.shown >= state.results.length;
    Promise.all(slice.map(function (result) { return result.data(); })).then(function (data) {
      if (state !== current) return;
      data.forEach(function (item, i) { fill(items[i], item); });
    });
  }

  function safeUrl(url) {
    var resolved = new URL(url, location.href);
    return resolved.origin === location.origin ? resolved.href : null;
  }

  function fill(item, data) {
    var meta = data.meta || {};
    var href = safeUrl(data.url);
    var link = el(href ? "a" : "span", "ba-search__link pagefind-ui__result-link", meta.title || data.url);
    if (href) link.href = href;
    var title = el("h3", "ba-search__title pagefind-ui__result-title");
    title.appendChild(link);
    item.appendChild(title);
    var facts = [meta.date ? "Date: " + meta.date : "", meta.source ? "Source: " + meta.source : ""].filter(Boolean);
    if (facts.length) item.appendChild(el("p", "ba-search__meta", facts.join(" · ")));
    item.appendChild(excerpt(data.excerpt || ""));
  }

  // Pagefind escapes < and > of the page text and wraps matches in <mark>: rebuild exactly
  // that as DOM nodes, the rest as text (no HTML parsing of briefing text).
  function excerpt(text) {
    var p = el("p", "ba-search__excerpt pagefind-ui__result-excerpt");
    var mark = null;
    text.split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") { mark = p.appendChild(el("mark")); return; }
      if (part === "</mark>") { mark = null; return; }
      if (part) (mark || p).appendChild(document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">")));
    });
    return p;
  }

  // ---------------------------------------------------------------- filters, on demand

  function toggleFilters() {
    var panel = $(".ba-search__filters");
    var toggle = $(".ba-search__toggle");
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) loadFilters();
  }

  function loadFilters() {
    if (filtersLoading) return filtersLoading;
    var panel = $(".ba-search__filters");
    panel.textContent = "Loading filters…";
    filtersLoading = load().then(function () { return pagefind.filters(); }).then(function (all) {
      panel.textContent = "";
      FILTERS.forEach(function (name) { if (all[name]) panel.appendChild(group(name, all[name])); });
      if (current) run(); // counts for the current results, now that every filter is loaded
    }, function () {
      filtersLoading = null;
      panel.textContent = "Filters could not be loaded.";
    });
    return filtersLoading;
  }

  function group(name, counts) {
    var box = el("details", "ba-search__filter");
    box.setAttribute("data-filter", name);
    box.appendChild(el("summary", "ba-search__filter-name", name.charAt(0).toUpperCase() + name.slice(1)));
    var values = Object.keys(counts).sort(name === "year" ? function (a, b) { return b < a ? -1 : 1; } : undefined);
    if (values.length > 12) {
      var narrow = el("input", "ba-search__narrow");
      narrow.type = "search";
      narrow.placeholder = "Narrow the list";
      narrow.setAttribute("aria-label", "Narrow the " + name + " list");
      narrow.addEventListener("input", function () {
        var needle = narrow.value.trim().toLowerCase();
        Array.prototype.forEach.call(box.querySelectorAll(".ba-search__value"), function (row) {
          row.classList.toggle("ba-search__value--narrowed", needle !== "" && row.getAttribute("data-value").toLowerCase().indexOf(needle) < 0);
        });
      });
      box.appendChild(narrow);
    }
    var list = el("div", "ba-search__values");
    values.forEach(function (value) {
      var row = el("label", "ba-search__value");
      row.setAttribute("data-value", value);
      var check = el("input", "ba-search__check");
      check.type = "checkbox";
      check.name = name;
      check.value = value;
      check.addEventListener("change", function () {
        var chosen = Array.prototype.filter.call(box.querySelectorAll(".ba-search__check"), function (c) { return c.checked; });
        selected[name] = chosen.map(function (c) { return c.value; });
        run();
      });
      row.appendChild(check);
      row.appendChild(el("span", "ba-search__value-name", value));
      row.appendChild(el("span", "ba-search__count", String(counts[value])));
      list.appendChild(row);
    });
    box.appendChild(list);
    return box;
  }

  // Counts of the current results per value; values without results hide unless ticked.
  function updateCounts(counts) {
    Array.prototype.forEach.call(document.querySelectorAll("#ba-search .ba-search__filter"), function (box) {
      var these = counts && counts[box.getAttribute("data-filter")];
      Array.prototype.forEach.call(box.querySelectorAll(".ba-search__value"), function (row) {
        if (!these) { row.classList.remove("ba-search__value--empty"); return; }
        var n = these[row.getAttribute("data-value")] || 0;
        row.querySelector(".ba-search__count").textContent = String(n);
        row.classList.toggle("ba-search__value--empty", n === 0 && !row.querySelector("input").checked);
      });
    });
  }

  // ---------------------------------------------------------------- open, close, keys

  var opener = null; // what had the focus before the dialog opened: it gets it back on close

  function open() {
    var box = dialog();
    opener = document.activeElement;
    box.hidden = false;
    document.documentElement.classList.add("ba-search-open");
    var field = $(".ba-search__input");
    field.focus();
    field.select();
  }

  function close() {
    var box = document.getElementById("ba-search");
    if (!box || box.hidden) return;
    box.hidden = true;
    document.documentElement.classList.remove("ba-search-open");
    // The hidden field must not keep the focus: the browser moves it away only on a later
    // frame, and until then a key ("s" to search again) would go to the hidden field.
    if (box.contains(document.activeElement)) {
      if (opener && opener !== document.body && document.contains(opener) && opener.focus) opener.focus();
      else document.activeElement.blur();
    }
    opener = null;
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
  }

  // Arrows move from the search field through the results (not in the filter lists).
  function movable(target) {
    return target && target.classList && (target.classList.contains("ba-search__input") || target.classList.contains("ba-search__link"));
  }

  function move(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("#ba-search a.ba-search__link"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    if (at === 0 && step < 0) { $(".ba-search__input").focus(); return; }
    var next = at < 0 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
    links[next].focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var box = document.getElementById("ba-search");
    var isOpen = box && !box.hidden;
    if (isOpen) {
      if (event.key === "Escape") { event.preventDefault(); close(); }
      else if (/^Arrow(Down|Up)$/.test(event.key) && movable(event.target)) {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      }
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
