"""The query page in a real Chromium: a link that names another endpoint is ignored, and
the Content-Security-Policy the server sends lets the page run without a single error."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from cimo.queries import read_tsv
from conftest import REPO
from endpoint_tools import Listener
from serving import Served
from test_browser import WebDriver, browser  # noqa: F401 (the fixture, shared)


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    try:
        yield server
    finally:
        server.close()


def test_the_query_page_ignores_an_endpoint_in_its_url(
    browser: WebDriver,  # noqa: F811
    server: Served,
    listener: Listener,
) -> None:
    browser.log("browser")  # start from an empty console
    browser.get(
        f"{server.url}/cimo/sparql.html?endpoint={listener.url}/sparql"
        "&example=02-drugs-targeting-cd20-edges"
    )
    browser.wait("return !!window.cimoYasgui && !!document.querySelector('.yasqe .CodeMirror')")
    endpoint = browser.js("return window.cimoYasgui.getTab().getEndpoint()")
    assert endpoint == f"{server.url}/sparql"
    browser.click(browser.find("#example-form button[type=submit]")[0])
    rows = browser.wait("""
        const rows = document.querySelectorAll('.yasr table tbody tr');
        return rows.length ? rows.length : null;""")
    assert rows == len(read_tsv(REPO / "queries" / "02-drugs-targeting-cd20-edges.tsv").rows)
    time.sleep(0.3)
    assert listener.seen == []
    errors = [entry for entry in browser.log("browser") if entry.get("level") == "SEVERE"]
    assert errors == []  # a CSP violation is reported here


def test_the_csp_forbids_scripts_from_elsewhere(
    browser: WebDriver,  # noqa: F811
    server: Served,
    listener: Listener,
) -> None:
    """A script from another origin, injected into the served page, is not fetched."""
    browser.get(f"{server.url}/cimo/sparql.html")
    browser.wait("return !!window.cimoYasgui")
    browser.log("browser")
    browser.js(
        "const s = document.createElement('script');"
        f"s.src = '{listener.url}/evil.js'; document.head.appendChild(s);"
    )
    time.sleep(0.5)
    assert listener.seen == []
    messages = " ".join(entry.get("message", "") for entry in browser.log("browser"))
    assert "Content Security Policy" in messages
