/*
 * Briefing Archive: the filter of the actors index (actors/), a progressive enhancement.
 *
 * The index is complete without this script: one section per actor type, in it one group
 * per region (builder/site/actor_lists.py). This adds, above it, a type and a region select
 * and a name filter, and hides the actors, groups and sections that do not match. It reads
 * only the page's data attributes and link texts, and writes text with textContent: no HTML
 * is ever parsed from the page or the reader's input. It runs on every page Material shows
 * (its instant navigation included) and does nothing where there is no index.
 */
(function () {
  "use strict";

  var ALL = "";

  function fold(text) {
    // Case and diacritics ignored, as the registry's matching does: "goita" finds "Goïta".
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function element(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  function select(name, allLabel, choices) {
    var control = element("select", "ba-filter__control");
    control.name = name;
    var all = element("option");
    all.value = ALL;
    all.textContent = allLabel;
    control.appendChild(all);
    choices.forEach(function (choice) {
      var option = element("option");
      option.value = choice.value;
      option.textContent = choice.label;
      control.appendChild(option);
    });
    return control;
  }

  function field(labelText, control) {
    var label = element("label", "ba-filter__field");
    var text = element("span", "ba-filter__label");
    text.textContent = labelText;
    label.appendChild(text);
    label.appendChild(control);
    return label;
  }

  function setup() {
    var blocks = Array.prototype.slice.call(document.querySelectorAll(".ba-actor-groups[data-ba-type]"));
    if (!blocks.length || document.querySelector(".ba-filter")) return;

    var types = [];
    var regions = [];
    var seenRegions = {};
    var noRegion = null;
    var entries = [];  // one per actor: its <li>, type, region and folded name
    var sections = blocks.map(function (block) {
      var type = block.getAttribute("data-ba-type");
      types.push({ value: type, label: block.getAttribute("data-ba-label") || type });
      var groups = Array.prototype.slice.call(block.querySelectorAll("[data-ba-region]")).map(function (group) {
        var region = group.getAttribute("data-ba-region");
        var choice = { value: region, label: group.getAttribute("data-ba-label") || region };
        if (!seenRegions[region]) {
          seenRegions[region] = true;
          if (region === "none") noRegion = choice; else regions.push(choice);
        }
        var items = Array.prototype.slice.call(group.querySelectorAll("li")).map(function (item) {
          var link = item.querySelector("a");
          var entry = { item: item, type: type, region: region, name: fold((link || item).textContent) };
          entries.push(entry);
          return entry;
        });
        return { element: group, items: items };
      });
      // The section's heading is the Markdown heading just before the block (its id is the type).
      var heading = block.previousElementSibling;
      return { element: block, heading: heading && /^H[1-6]$/.test(heading.tagName) ? heading : null, groups: groups };
    });
    if (noRegion) regions.push(noRegion);

    var form = element("form", "ba-filter");
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter the actors");
    var typeSelect = select("type", "All types", types);
    var regionSelect = select("region", "All regions", regions);
    var nameInput = element("input", "ba-filter__control");
    nameInput.type = "search";
    nameInput.name = "name";
    nameInput.autocomplete = "off";
    nameInput.placeholder = "Name contains…";
    var status = element("p", "ba-filter__status");
    status.setAttribute("role", "status");
    form.appendChild(field("Type", typeSelect));
    form.appendChild(field("Region", regionSelect));
    form.appendChild(field("Name", nameInput));
    form.appendChild(status);

    function apply() {
      var type = typeSelect.value;
      var region = regionSelect.value;
      var query = fold(nameInput.value);
      var shown = 0;
      sections.forEach(function (section) {
        var sectionShown = 0;
        section.groups.forEach(function (group) {
          var groupShown = 0;
          group.items.forEach(function (entry) {
            var match = (type === ALL || entry.type === type) && (region === ALL || entry.region === region) &&
              (!query || entry.name.indexOf(query) !== -1);
            entry.item.hidden = !match;
            if (match) groupShown += 1;
          });
          group.element.hidden = groupShown === 0;
          sectionShown += groupShown;
        });
        section.element.hidden = sectionShown === 0;
        if (section.heading) section.heading.hidden = sectionShown === 0;
        shown += sectionShown;
      });
      status.textContent = shown === 0 ? "No actor matches." :
        (shown === entries.length ? entries.length + " actors" : shown + " of " + entries.length + " actors");
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); });
    typeSelect.addEventListener("change", apply);
    regionSelect.addEventListener("change", apply);
    nameInput.addEventListener("input", apply);
    var first = sections[0].heading || sections[0].element;
    first.parentNode.insertBefore(form, first);
    apply();
  }

  // Material's instant navigation swaps pages without reloading scripts: it announces every
  // page (the first one included) on document$. Without Material's bundle, run once.
  if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
