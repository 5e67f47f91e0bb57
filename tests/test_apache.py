"""The generated .htaccess rules in a real Apache httpd (Debian apache2) on 127.0.0.1.

One httpd, two virtual hosts, as in the documented deployment:

* the *static host* serves build/site at /cimo/ with build/site/.htaccess;
* the *w3id host* holds only cimo/.htaccess made by
  ``python -m cimo.site.htaccess --target <static host>/cimo/``, as
  https://w3id.org would.

Every negotiated form is requested through both and followed to the file,
which must be byte-identical to the site's own.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO

#: Starts an external program (a browser, a server, a JVM): slow.
pytestmark = pytest.mark.slow

MODULES = Path("/usr/lib/apache2/modules")
HTTPD = shutil.which("apache2") or "/usr/sbin/apache2"
TERM = "CIMO_0000110"
RDF_FORMS = {
    "text/turtle": ".ttl",
    "application/rdf+xml": ".owl",
    "application/ld+json": ".jsonld",
    "application/n-triples": ".nt",
}
SPARQL = "http://127.0.0.1:9/sparql"  # only the redirect is checked, nothing listens there


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Apache:
    static: str
    w3id: str
    site: Path


def fetch(
    url: str, accept: str | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, headers={"Accept": accept} if accept is not None else {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def follow(url: str, accept: str | None) -> tuple[list[int], str, dict[str, str], bytes]:
    """Follow redirects by hand; returns the statuses seen, the final URL, headers, body."""
    statuses = []
    for _ in range(5):
        status, headers, body = fetch(url, accept)
        statuses.append(status)
        if status in (301, 302, 303, 307) and "location" in headers:
            location = headers["location"]
            url = (
                location
                if location.startswith("http")
                else f"{urlsplit(url).scheme}://{urlsplit(url).netloc}{location}"
            )
            continue
        return statuses, url, headers, body
    raise AssertionError(f"too many redirects from {url}")


def config(root: Path, site: Path, w3id: Path, static_port: int, w3id_port: int) -> str:
    modules = ["mpm_event", "authz_core", "mime", "dir", "rewrite", "alias", "headers"]
    loads = "\n".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in modules)
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    return f"""ServerRoot {root}
ServerName 127.0.0.1
{loads}
{user}Listen 127.0.0.1:{static_port}
Listen 127.0.0.1:{w3id_port}
PidFile {root}/httpd.pid
DefaultRuntimeDir {root}
Mutex file:{root}
ErrorLog {root}/error.log
LogLevel warn rewrite:warn
TypesConfig /etc/mime.types
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<VirtualHost 127.0.0.1:{static_port}>
  DocumentRoot {root}/empty
  Alias /cimo {site}
  <Directory {site}>
    AllowOverride All
    Require all granted
  </Directory>
</VirtualHost>
<VirtualHost 127.0.0.1:{w3id_port}>
  DocumentRoot {w3id}
  <Directory {w3id}>
    AllowOverride All
    Require all granted
  </Directory>
</VirtualHost>
"""


def wait_for(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"apache2 exited: {log.read_text() if log.exists() else ''}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("apache2 did not start listening")


@pytest.fixture(scope="module")
def apache(release_dir: Path) -> Iterator[Apache]:
    assert Path(HTTPD).exists(), "install apache2 (make test does)"
    # The httpd children run as www-data: the files must be readable by it, which
    # pytest's private temporary folders are not.
    root = Path(tempfile.mkdtemp(prefix="cimo-apache-"))
    root.chmod(0o755)
    proc = None
    try:
        site = root / "site"
        shutil.copytree(release_dir / "site", site)
        (root / "empty").mkdir()
        w3id = root / "w3id"
        (w3id / "cimo").mkdir(parents=True)
        static_port, w3id_port = free_port(), free_port()
        static = f"http://127.0.0.1:{static_port}"
        rules = subprocess.run(
            [
                sys.executable,
                "-m",
                "cimo.site.htaccess",
                "--target",
                f"{static}/cimo/",
                "--sparql",
                SPARQL,
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (w3id / "cimo" / ".htaccess").write_text(rules)
        for path in [root, *root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        conf = root / "httpd.conf"
        conf.write_text(config(root, site, w3id, static_port, w3id_port))
        check = subprocess.run([HTTPD, "-t", "-f", str(conf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        proc = subprocess.Popen(
            [HTTPD, "-f", str(conf), "-DFOREGROUND"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for(static_port, proc, root / "error.log")
        wait_for(w3id_port, proc, root / "error.log")
        yield Apache(static, f"http://127.0.0.1:{w3id_port}", site)
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # graceful stop: the parent ends its children
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("host", ["static", "w3id"])
@pytest.mark.parametrize(
    "accept",
    [
        *RDF_FORMS,
        "text/html",
        None,
        "*/*",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    ],
)
def test_term_iri_negotiates_to_the_right_file(
    apache: Apache, host: str, accept: str | None
) -> None:
    base = getattr(apache, host)
    statuses, final, headers, body = follow(f"{base}/cimo/{TERM}", accept)
    suffix = RDF_FORMS.get(accept or "", ".html")
    assert statuses[0] == 303, statuses
    assert statuses[-1] == 200
    assert final == f"{apache.static}/cimo/{TERM}{suffix}"
    assert body == (apache.site / f"{TERM}{suffix}").read_bytes()
    expected_type = accept if accept in RDF_FORMS else "text/html"
    assert headers["content-type"].split(";")[0] == expected_type
    first = fetch(f"{base}/cimo/{TERM}", accept)
    assert "Accept" in first[1].get("vary", ""), first[1]


@pytest.mark.parametrize("host", ["static", "w3id"])
@pytest.mark.parametrize("accept", list(RDF_FORMS))
def test_ontology_iri_negotiates_to_the_release_file(
    apache: Apache, host: str, accept: str
) -> None:
    base = getattr(apache, host)
    statuses, final, headers, body = follow(f"{base}/cimo/", accept)
    assert statuses[0] == 303 and statuses[-1] == 200
    assert final == f"{apache.static}/cimo/cimo{RDF_FORMS[accept]}"
    assert headers["content-type"].split(";")[0] == accept
    assert body == (apache.site / f"cimo{RDF_FORMS[accept]}").read_bytes()


@pytest.mark.parametrize("host", ["static", "w3id"])
def test_ontology_home_files_and_releases(apache: Apache, host: str) -> None:
    base = getattr(apache, host)
    statuses, _, headers, body = follow(f"{base}/cimo/", "text/html")
    assert statuses[-1] == 200 and body == (apache.site / "index.html").read_bytes()
    statuses, _, _, body = follow(f"{base}/cimo", None)
    assert statuses[-1] == 200 and body == (apache.site / "index.html").read_bytes()
    _, _, headers, body = follow(f"{base}/cimo/cimo.owl", None)
    assert headers["content-type"].split(";")[0] == "application/rdf+xml"
    assert body == (apache.site / "cimo.owl").read_bytes()
    for folder in sorted((apache.site / "releases").iterdir()):
        statuses, _, _, body = follow(f"{base}/cimo/releases/{folder.name}/cimo.ttl", None)
        assert statuses[-1] == 200
        assert body == (folder / "cimo.ttl").read_bytes()
    for suffix, media in (*((s, m) for m, s in RDF_FORMS.items()), (".html", "text/html")):
        statuses, _, headers, _ = follow(f"{base}/cimo/{TERM}{suffix}", None)
        assert statuses[-1] == 200 and headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize("host", ["static", "w3id"])
def test_unacceptable_accept_is_406(apache: Apache, host: str) -> None:
    base = getattr(apache, host)
    assert fetch(f"{base}/cimo/{TERM}", "image/png")[0] == 406
    assert fetch(f"{base}/cimo/", "image/png")[0] == 406


def test_unknown_term_gets_the_404_page_with_a_search_link(apache: Apache) -> None:
    status, _, body = fetch(f"{apache.static}/cimo/CIMO_9999999", "text/turtle")
    assert status == 404
    assert b'href="/cimo/terms.html' in body
    statuses, _, _, body = follow(f"{apache.w3id}/cimo/CIMO_9999999", "text/html")
    assert statuses[0] == 303 and statuses[-1] == 404
    assert b'href="/cimo/terms.html' in body


def test_w3id_rules_send_sparql_on_with_307_and_cors_on_the_host(apache: Apache) -> None:
    status, headers, _ = fetch(f"{apache.w3id}/cimo/sparql?query=ASK%7B%7D")
    assert status == 307
    assert headers["location"] == SPARQL + "?query=ASK%7B%7D"
    status, headers, _ = fetch(f"{apache.static}/cimo/{TERM}.ttl")
    assert status == 200 and headers["access-control-allow-origin"] == "*"


def test_site_rules_are_the_generators_output(apache: Apache) -> None:
    from cimo.site.htaccess import rules

    assert (apache.site / ".htaccess").read_text() == rules("/cimo/")
