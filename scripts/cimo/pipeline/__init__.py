"""The stages of ``cimo build``, one module each, run in order by ``pipeline``."""
