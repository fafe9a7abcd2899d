/*
 * Briefing Archive: the actor network page (network/), drawn with the vendored sigma.js.
 *
 * The page (builder/site/network_page.py) holds a hidden filter form, an empty result list
 * and an empty canvas; its data, network/graph.json, has every node's position computed at
 * build time, so this script only draws: no layout runs in the browser. It loads the sigma +
 * graphology bundle (vendor/network-vendor.min.js, next to this file) only on that page.
 *
 * Every action has a keyboard path: the filters are native selects, the search box lists
 * the matching actors as links (Enter opens the first, Tab or Arrow Down reaches the list),
 * and clicking a node opens its actor page. Text from the data is only ever set with
 * textContent. It runs on every page Material shows (instant navigation included, through
 * document$) and does nothing where there is no network; leaving the page frees the canvas.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var BUNDLE = new URL("vendor/network-vendor.min.js", script ? script.src : location.href).href;
  var MAX_RESULTS = 20;
  var bundlePromise = null;
  var current = null; // { renderer, observer, container } of the page on screen

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function loadBundle() {
    if (window.BriefingsNetwork) return Promise.resolve(window.BriefingsNetwork);
    if (!bundlePromise) {
      bundlePromise = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = BUNDLE;
        tag.onload = function () { resolve(window.BriefingsNetwork); };
        tag.onerror = function () { bundlePromise = null; reject(new Error("could not load " + BUNDLE)); };
        document.head.appendChild(tag);
      });
    }
    return bundlePromise;
  }

  function teardown() {
    if (!current) return;
    if (current.renderer) current.renderer.kill();
    if (current.observer) current.observer.disconnect();
    current = null;
  }

  function colours(container, types) {
    var style = getComputedStyle(container);
    var read = function (name, fallback) { return style.getPropertyValue(name).trim() || fallback; };
    var byType = {};
    types.forEach(function (type) { byType[type.id] = read("--ba-net-" + type.id, read("--ba-net-other", "#546e7a")); });
    return {
      byType: byType,
      other: read("--ba-net-other", "#546e7a"),
      edge: read("--ba-net-tie", "rgba(117, 117, 117, 0.4)"),
      faded: read("--ba-net-faded", "rgba(160, 160, 160, 0.25)"),
      label: read("--md-default-fg-color", "#000"),
    };
  }

  function sumRange(first, counts, from, to) {
    if (first === null) return 0;
    var total = 0;
    for (var year = Math.max(from, first); year <= Math.min(to, first + counts.length - 1); year += 1) total += counts[year - first];
    return total;
  }

  function setup() {
    var container = document.querySelector(".ba-network[data-ba-graph]");
    if (current && current.container !== container) teardown();
    if (!container || container.getAttribute("data-ba-started")) return;
    container.setAttribute("data-ba-started", "true");
    var started = performance.now();
    var dataUrl = new URL(container.getAttribute("data-ba-graph"), location.href).href;
    Promise.all([loadBundle(), fetch(dataUrl).then(function (response) {
      if (!response.ok) throw new Error(dataUrl + ": HTTP " + response.status);
      return response.json();
    })]).then(function (loaded) {
      if (!document.body.contains(container)) return; // the reader moved on meanwhile
      build(container, loaded[0], loaded[1], started);
    }).catch(function (error) {
      var status = container.querySelector(".ba-network__status");
      var form = container.querySelector("form");
      if (form) form.hidden = false;
      if (status) status.textContent = "The network could not be loaded (" + error.message + ").";
    });
  }

  function build(container, lib, data, started) {
    var form = container.querySelector("form");
    var status = container.querySelector(".ba-network__status");
    var results = container.querySelector(".ba-network__results");
    var canvas = container.querySelector(".ba-network__canvas");
    var noscript = container.querySelector(".ba-network__noscript");
    var field = function (name) { return form.elements.namedItem(name); };
    var years = data.years || [0, 0];
    var nodes = data.nodes;
    var edges = data.edges;
    var state = { from: years[0], to: years[1], type: "", region: "", query: "", hovered: null, matches: {} };
    var palette = colours(container, data.types);
    var visibleNodes = {};
    var edgeWeight = {};

    var graph = new lib.Graph({ type: "undirected", multi: false });
    nodes.forEach(function (node, index) {
      node.folded = fold(node.label);
      graph.addNode(String(index), { x: node.x, y: node.y, size: node.size, label: node.label });
    });
    edges.forEach(function (edge, index) {
      graph.addEdgeWithKey("e" + index, String(edge[0]), String(edge[1]), { weight: edge[2] });
    });

    function applyFilters() {
      var whole = state.from === years[0] && state.to === years[1];
      var peak = 1;
      var counts = nodes.map(function (node) {
        var count = whole ? node.mentions : sumRange(node.first, node.counts, state.from, state.to);
        var shown = count > 0 && (!state.type || node.type === state.type) && (!state.region || node.region === state.region);
        if (shown && count > peak) peak = count;
        return shown ? count : 0;
      });
      visibleNodes = {};
      var shownNodes = 0;
      counts.forEach(function (count, index) {
        if (!count) return;
        visibleNodes[index] = 2 + 10 * Math.sqrt(count / peak);
        shownNodes += 1;
      });
      edgeWeight = {};
      var shownEdges = 0;
      var heaviest = 1;
      edges.forEach(function (edge, index) {
        if (!(edge[0] in visibleNodes) || !(edge[1] in visibleNodes)) return;
        var weight = whole ? edge[2] : sumRange(edge[3], edge[4], state.from, state.to);
        if (weight > 0) { edgeWeight["e" + index] = weight; shownEdges += 1; heaviest = Math.max(heaviest, weight); }
      });
      Object.keys(edgeWeight).forEach(function (key) { edgeWeight[key] = 0.5 + 4.5 * edgeWeight[key] / heaviest; });
      container.setAttribute("data-visible-nodes", String(shownNodes));
      container.setAttribute("data-visible-edges", String(shownEdges));
      status.textContent = (shownNodes === nodes.length ? nodes.length + " actors" : shownNodes + " of " + nodes.length + " actors") +
        ", " + shownEdges + (shownEdges === 1 ? " tie" : " ties") + " shown" + (whole ? "" : ", " + state.from + "–" + state.to) + ".";
      updateResults();
      if (renderer) renderer.refresh();
    }

    function updateResults() {
      results.textContent = "";
      state.matches = {};
      if (!state.query) return;
      var found = [];
      nodes.forEach(function (node, index) {
        if (index in visibleNodes && node.folded.indexOf(state.query) !== -1) found.push(index);
      });
      found.sort(function (a, b) { return nodes[b].mentions - nodes[a].mentions || (nodes[a].label < nodes[b].label ? -1 : 1); });
      found.forEach(function (index) { state.matches[index] = true; });
      if (!found.length) {
        var none = document.createElement("li");
        none.textContent = "No actor shown matches.";
        results.appendChild(none);
        return;
      }
      found.slice(0, MAX_RESULTS).forEach(function (index) {
        var node = nodes[index];
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = new URL(node.url, location.href).href;
        link.textContent = node.label;
        link.addEventListener("focus", function () { state.hovered = String(index); if (renderer) renderer.refresh(); });
        link.addEventListener("blur", function () { state.hovered = null; if (renderer) renderer.refresh(); });
        item.appendChild(link);
        item.appendChild(document.createTextNode(" · " + node.mentions + (node.mentions === 1 ? " briefing" : " briefings")));
        results.appendChild(item);
      });
      if (found.length > MAX_RESULTS) {
        var more = document.createElement("li");
        more.textContent = (found.length - MAX_RESULTS) + " more: type more of the name.";
        results.appendChild(more);
      }
    }

    var renderer = null;
    var neighbours = {};
    canvas.hidden = false;
    try {
      renderer = new lib.Sigma(graph, canvas, {
        labelColor: { color: palette.label },
        labelFont: "sans-serif",
        labelSize: 12,
        labelRenderedSizeThreshold: 5,
        zIndex: true,
        minCameraRatio: 0.05,
        maxCameraRatio: 4,
        nodeReducer: function (key, attributes) {
          var size = visibleNodes[key];
          if (size === undefined) return Object.assign({}, attributes, { hidden: true });
          var node = nodes[Number(key)];
          var out = Object.assign({}, attributes, { size: size, color: palette.byType[node.type] || palette.other, zIndex: 1 });
          var focus = state.hovered;
          if (focus !== null && key !== focus && !neighbours[key]) {
            out.color = palette.faded;
            out.label = "";
            out.zIndex = 0;
          } else if (key === focus || state.matches[key]) {
            out.highlighted = true;
            out.zIndex = 2;
          }
          return out;
        },
        edgeReducer: function (key, attributes) {
          var size = edgeWeight[key];
          if (size === undefined) return Object.assign({}, attributes, { hidden: true });
          var focus = state.hovered;
          var touches = focus !== null && (graph.source(key) === focus || graph.target(key) === focus);
          return Object.assign({}, attributes, {
            size: size,
            color: focus !== null && !touches ? palette.faded : palette.edge,
            hidden: focus !== null && !touches,
          });
        },
      });
    } catch (error) {
      status.textContent = "This browser cannot draw the network (" + error.message + "); the search still lists actors.";
    }

    function hover(key) {
      state.hovered = key;
      neighbours = {};
      if (key !== null) graph.forEachNeighbor(key, function (other) { neighbours[other] = true; });
      if (renderer) renderer.refresh();
    }

    container.baSigma = renderer; // for the browser tests and benchmarks (where a node is drawn)
    if (renderer) {
      renderer.on("enterNode", function (event) { hover(event.node); canvas.style.cursor = "pointer"; });
      renderer.on("leaveNode", function () { hover(null); canvas.style.cursor = ""; });
      renderer.on("clickNode", function (event) { location.href = new URL(nodes[Number(event.node)].url, location.href).href; });
      renderer.once("afterRender", function () {
        container.setAttribute("data-ready", "true");
        // Milliseconds since this script started on the page, and since the navigation began.
        container.setAttribute("data-ready-ms", String(Math.round(performance.now() - started)));
        container.setAttribute("data-ready-at", String(Math.round(performance.now())));
      });
    } else {
      container.setAttribute("data-ready", "true");
    }

    var observer = new MutationObserver(function () {
      palette = colours(container, data.types);
      if (renderer) { renderer.setSetting("labelColor", { color: palette.label }); renderer.refresh(); }
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    current = { renderer: renderer, observer: observer, container: container };

    ["from", "to", "type", "region"].forEach(function (name) {
      var control = field(name);
      if (!control) return;
      control.addEventListener("change", function () {
        var from = field("from") ? Number(field("from").value) : years[0];
        var to = field("to") ? Number(field("to").value) : years[1];
        state.from = Math.min(from, to);
        state.to = Math.max(from, to);
        state.type = field("type").value;
        state.region = field("region").value;
        applyFilters();
      });
    });
    var search = field("q");
    search.addEventListener("input", function () {
      state.query = fold(search.value);
      updateResults();
      if (renderer) renderer.refresh();
    });
    search.addEventListener("keydown", function (event) {
      var first = results.querySelector("a");
      if (event.key === "Enter") {
        event.preventDefault();
        if (first) first.click();
      } else if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        first.focus();
      }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    if (noscript) noscript.hidden = true;
    applyFilters();
    if (renderer) renderer.refresh();
  }

  // The ego networks of actor pages are inline SVG whose links Material's instant navigation
  // cannot follow (it reads `link.href` as a string; an SVG link's is an object, and the error
  // stops its click handling for the rest of the visit). Their clicks stop here: a plain
  // click goes on as a click on an HTML link to the same page, which Material does follow.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("svg a") : null;
    if (!link) return;
    event.stopPropagation();
    var target = link.getAttributeNS("http://www.w3.org/1999/xlink", "href") || link.getAttribute("href");
    if (!target || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    var proxy = document.createElement("a");
    proxy.href = new URL(target, location.href).href;
    proxy.hidden = true;
    document.body.appendChild(proxy);
    proxy.click();
    proxy.remove();
  }, true);

  if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
