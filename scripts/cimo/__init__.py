"""CIMO, the Cancer Immunotherapy Ontology: build, check and publication tooling."""

__version__ = "0.1.0"
