// The query page: YASGUI on the local endpoint, with the example queries.
// Every default that would reach the network is replaced: the endpoint, the
// endpoint catalogue and prefix.cc (served from assets/prefixes.json).
// The endpoint comes only from the page's own <meta> element, never from the
// URL: a link to sparql.html?endpoint=<elsewhere> must not make the page send
// queries to, and render answers from, a server someone else chose.
"use strict";
(function () {
  const holder = document.getElementById("yasgui");
  if (!holder || typeof Yasgui === "undefined") { return; }
  const params = new URLSearchParams(window.location.search);
  const configured = document.querySelector('meta[name="cimo-sparql-endpoint"]').content;
  const endpoint = new URL(configured, window.location.href).href;
  const prefixes = new URL("assets/prefixes.json", window.location.href).href;
  const examples = JSON.parse(document.getElementById("cimo-examples").textContent);

  const yasgui = new Yasgui(holder, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    yasqe: { prefixCcApi: prefixes, persistenceId: null },
    yasr: { persistenceId: null, prefixes: {} },
  });
  window.cimoYasgui = yasgui;

  function load(example, run) {
    const tab = yasgui.getTab();
    tab.setEndpoint(endpoint);
    tab.setQuery(example.query);
    document.getElementById("current-example").textContent = example.question;
    if (run) { tab.query(); }
  }
  const select = document.getElementById("example-select");
  function bySlug(slug) { return examples.find(function (e) { return e.slug === slug; }); }
  document.getElementById("example-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const example = bySlug(select.value);
    if (example) { load(example, true); }
  });
  const wanted = params.get("example");
  const first = bySlug(wanted) || examples[0];
  if (first) { select.value = first.slug; load(first, false); }
})();
