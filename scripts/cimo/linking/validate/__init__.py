"""``cimo validate``: check a dataset that uses CIMO against CIMO.

Two kinds of check, each where it is cheapest:

* term checks (does the IRI exist, is it deprecated, is it used in a role it
  can play) need one triple at a time and the catalog, so they run while the
  data is streamed (``stream``, ``terms``);
* shape checks (``shapes/data/*.ttl``: branches of relations, classes used as
  instances) need joins, so the shapes are compiled to SPARQL (``compile``) and
  run in an embedded pyoxigraph store holding only the triples they can see
  (``store``), or on the user's own SPARQL endpoint (``endpoint``).
"""
