// Filters the term list as the reader types; ?q= pre-fills the filter.
// Works without it too: the list is complete and the form reloads the page.
"use strict";
(function () {
  const input = document.getElementById("q");
  const list = document.getElementById("term-list");
  const count = document.getElementById("term-count");
  if (!input || !list || !count) { return; }
  const items = Array.from(list.querySelectorAll("li[data-search]"));
  function apply() {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of items) {
      const text = item.dataset.search;  // label, CURIE, CIMO_ ID and synonyms
      const match = words.every((w) => text.includes(w));
      item.hidden = !match;
      if (match) { shown += 1; }
    }
    count.textContent = words.length ? shown + " of " + items.length + " terms match"
                                     : items.length + " terms";
  }
  const q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; }
  input.addEventListener("input", apply);
  apply();
})();
