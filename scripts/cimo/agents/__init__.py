"""The approved cancer-immunotherapy agents: tables under ontology/agents/ -> OWL."""
