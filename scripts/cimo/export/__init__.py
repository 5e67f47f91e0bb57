"""One exporter per release format; each writes bytes that depend only on the graph."""
