"""Linking other datasets to CIMO: identifier translation (``cimo map``) and
checking a user's dataset against CIMO (``cimo validate``).

The modules here never import rdflib or the build pipeline, so both commands
start in a fraction of a second: they read the mapping table with ``csv`` and
the ontology with pyoxigraph's parser.
"""
