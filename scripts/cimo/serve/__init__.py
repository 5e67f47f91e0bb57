"""``cimo serve``: a local publication of a release that mirrors https://w3id.org/cimo/.

The pieces, one job each: :mod:`~cimo.serve.publication` holds the built site
in memory, :mod:`~cimo.serve.conneg` picks representations,
:mod:`~cimo.serve.protocol` reads SPARQL Protocol requests,
:mod:`~cimo.serve.engine` and :mod:`~cimo.serve.worker` run queries on
pyoxigraph with a time limit and a size cap, :mod:`~cimo.serve.app` routes,
and :mod:`~cimo.serve.server` speaks HTTP. :func:`cimo.serve.run.start` wires
them together.
"""
