"""HTML shared by the static site and the server: the page shell and the not-found page.

It sits below both :mod:`cimo.site` (which writes the static pages) and
:mod:`cimo.serve` (which renders error pages at request time), so the server
needs no part of the site generator.
"""
