"""The site in a real headless Chromium, driven through chromedriver (W3C WebDriver).

A person's path: the home page (keyboard first: the skip link), the term
search, a term page (also at phone width), and the query page, where an
example query runs in YASGUI against the local endpoint and its rows
appear. Screenshots go to tests/output/browser/. Chromium's console must
stay free of errors, and every request it makes must go to 127.0.0.1.

The WebDriver client is a few HTTP calls with the standard library, so the
test needs no Python package beyond the project's.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from cimo.queries import read_tsv
from conftest import OUTPUT, REPO
from serving import Served

#: Starts an external program (a browser, a server, a JVM): slow.
pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--window-size=1280,1000",
]
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
TAB, ENTER = "\ue004", "\ue007"
SHOTS = OUTPUT / "browser"


class WebDriver:
    """The handful of W3C WebDriver commands this test needs."""

    def __init__(self, base: str, profile: Path) -> None:
        self.base = base
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": CHROMIUM,
                        "args": [*FLAGS, f"--user-data-dir={profile}"],
                    },
                    "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
                }
            }
        }
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method: str, path: str, body: object | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as err:
            raise AssertionError(f"WebDriver {method} {path}: {err.read()[:500]!r}") from None

    def cmd(self, method: str, path: str, body: object | None = None) -> Any:
        return self._call(method, f"/session/{self.session}{path}", body)

    def get(self, url: str) -> None:
        self.cmd("POST", "/url", {"url": url})

    def js(self, script: str, *args: object) -> Any:
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css: str) -> list[str]:
        found = self.cmd("POST", "/elements", {"using": "css selector", "value": css})
        return [element[ELEMENT] for element in found]

    def click(self, element: str) -> None:
        self.cmd("POST", f"/element/{element}/click", {})

    def type(self, element: str, text: str) -> None:
        self.cmd("POST", f"/element/{element}/value", {"text": text})

    def keys(self, *keys: str) -> None:
        actions = []
        for key in keys:
            actions += [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        self.cmd(
            "POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}
        )

    def resize(self, width: int, height: int) -> None:
        self.cmd("POST", "/window/rect", {"width": width, "height": height})

    def screenshot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        path.write_bytes(base64.b64decode(self.cmd("GET", "/screenshot")))
        return path

    def log(self, kind: str) -> list[dict]:
        return self.cmd("POST", "/se/log", {"type": kind})

    def wait(self, script: str, timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(script)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for: {script}")

    def quit(self) -> None:
        self.cmd("DELETE", "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def processes_using(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if marker in cmdline:
                found.append(int(proc.name))
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    assert Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), (
        "install chromium and chromium-driver (make test does)"
    )
    profile = Path(tempfile.mkdtemp(prefix="cimo-chromium-"))
    port = free_port()
    driver_proc = subprocess.Popen(
        [CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    driver = None
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(base + "/status", timeout=2) as response:
                    if json.loads(response.read())["value"]["ready"]:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "chromedriver did not start"
            time.sleep(0.1)
        driver = WebDriver(base, profile)
        yield driver
    finally:
        if driver is not None:
            driver.quit()
        driver_proc.terminate()
        driver_proc.wait(timeout=20)
        for pid in processes_using(str(profile)):  # a Chromium that outlived its driver
            subprocess.run(["kill", "-9", str(pid)], check=False)
        shutil.rmtree(profile, ignore_errors=True)


def test_home_is_keyboard_navigable_and_search_finds_a_term(
    browser: WebDriver, server: Served
) -> None:
    browser.resize(1280, 1000)
    browser.get(f"{server.url}/cimo/")
    assert browser.js("return document.querySelector('h1').textContent").startswith("CIMO")
    browser.keys(TAB)
    assert browser.js("return document.activeElement.getAttribute('href')") == "#main"
    browser.keys(ENTER)
    assert browser.wait("return document.activeElement.id === 'main'")
    browser.screenshot("home")
    search = browser.find("#q")[0]
    browser.type(search, "rituximab" + ENTER)
    browser.wait("return location.pathname.endsWith('/terms.html')")
    shown = browser.wait("""
        const items = [...document.querySelectorAll('#term-list li')].filter(li => !li.hidden);
        return items.length ? items.map(li => li.querySelector('a').textContent) : null;""")
    assert "rituximab" in shown
    total = browser.js("return document.querySelectorAll('#term-list li').length")
    assert len(shown) < total
    browser.screenshot("search")


def test_term_page_reads_on_a_desktop_and_on_a_phone(browser: WebDriver, server: Served) -> None:
    browser.resize(1280, 1000)
    browser.get(f"{server.url}/cimo/CIMO_0000110")
    assert browser.js("return document.querySelector('h1').textContent").startswith("rituximab")
    assert browser.js("return document.querySelector('.definition').textContent").startswith(
        "An anti-CD20 monoclonal antibody"
    )
    browser.screenshot("term")
    browser.resize(390, 844)
    for path in (
        "/cimo/CIMO_0000110",
        "/cimo/",
        "/cimo/queries.html",
        "/cimo/downloads.html",
        "/cimo/ontology.html",
    ):
        browser.get(server.url + path)
        overflow = browser.js(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path} scrolls sideways on a phone by {overflow}px"
        font = browser.js("return parseFloat(getComputedStyle(document.body).fontSize)")
        assert font >= 14, path
        name = path.removeprefix("/cimo/").removesuffix(".html") or "home"
        browser.screenshot(f"phone-{name}")
    browser.resize(1280, 1000)


def test_query_page_runs_an_example_in_yasgui(browser: WebDriver, server: Served) -> None:
    browser.resize(1280, 1000)
    browser.get(f"{server.url}/cimo/sparql.html?example=02-drugs-targeting-cd20-edges")
    browser.wait("return !!window.cimoYasgui && !!document.querySelector('.yasqe .CodeMirror')")
    query = browser.js("return window.cimoYasgui.getTab().getQuery()")
    assert "PR_000001289" in query
    button = browser.find("#example-form button[type=submit]")[0]
    browser.click(button)
    rows = browser.wait("""
        const rows = [...document.querySelectorAll('.yasr table tbody tr')]
            .map(tr => tr.textContent);
        return rows.length ? rows : null;""")
    text = " ".join(rows)
    expected = read_tsv(REPO / "queries" / "02-drugs-targeting-cd20-edges.tsv")
    assert len(rows) == len(expected.rows), rows
    for _, label in expected.rows:
        assert label in text
    assert "rituximab" in text
    browser.screenshot("query")


def test_no_console_errors_and_no_request_leaves_the_host(
    browser: WebDriver, server: Served
) -> None:
    browser.get(f"{server.url}/cimo/ontology.html")
    browser.get(f"{server.url}/cimo/queries.html")
    errors = [entry for entry in browser.log("browser") if entry.get("level") == "SEVERE"]
    assert errors == []
    hosts = set()
    for entry in browser.log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if urlsplit(url).scheme in ("http", "https", "ws", "wss"):
                hosts.add(urlsplit(url).hostname)
    assert hosts == {"127.0.0.1"}


@pytest.mark.parametrize(("query", "agent"), [("Libtayo", "cemiplimab"), ("ONO-4538", "nivolumab")])
def test_search_finds_brand_names_and_codes(
    browser: WebDriver, server: Served, query: str, agent: str
) -> None:
    browser.resize(1280, 1000)
    browser.get(f"{server.url}/cimo/terms.html?q={query}")
    shown = browser.wait("""
        const items = [...document.querySelectorAll('#term-list li')].filter(li => !li.hidden);
        const total = document.querySelectorAll('#term-list li').length;
        return items.length && items.length < total
            ? items.map(li => li.querySelector('a').textContent) : null;""")
    assert agent in shown


def test_agent_page_shows_dated_regulatory_facts(browser: WebDriver, server: Served) -> None:
    browser.resize(1280, 1000)
    browser.get(f"{server.url}/cimo/CIMO_0000500")
    rows = browser.js("""
        return [...document.querySelectorAll('#regulatory ~ div table tbody tr, '
                                              + '#regulatory + div table tbody tr')]
            .map(tr => [...tr.cells].map(td => td.textContent.trim()));""")
    cscc = "skin squamous cell carcinoma (MONDO:0002529)"
    assert ["indication", cscc, "US", "approved", "2018-09-28", "", "", "record"] in rows
    assert ["marketing status", "", "EU", "approved", "2019-06-28", "", "", "record"] in rows
    synonyms = browser.js("return document.querySelector('.synonyms').textContent")
    assert "Libtayo" in synonyms and "brand name" in synonyms
