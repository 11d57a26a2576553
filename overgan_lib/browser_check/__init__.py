"""Open every page of the rendered book in headless Chromium and fail on what a reader would see.

    python -m overgan_lib.browser_check _build/html --screenshots _build/screenshots

The pages are served from a local HTTP server and every other host is unreachable (the book
must read offline). Each page fails on: a console error (including a resource that failed to
load), a missing image, a broken internal link (missing file or missing #anchor), unrendered
math (``\\(``, ``\\[`` or ``$$`` in the visible text outside code, or a math element MathJax did
not typeset), and a visible papermill ``injected-parameters`` cell. One screenshot per page.

Chromium is Debian's ``chromium`` (``apt-get install chromium``), driven through the DevTools
protocol with ``websocket-client``; no browser is downloaded.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

from .devtools import CANDIDATES, Browser, find_chromium
from .links import REFRESH, broken_links, redirect_target
from .page import PAGE_JS, PageReport, check_page

__all__ = [
    "CANDIDATES", "PAGE_JS", "REFRESH", "Browser", "PageReport", "broken_links", "check_page",
    "check_site", "find_chromium", "main", "redirect_target", "serve",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no access log on stderr
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``root`` on 127.0.0.1 (a free port) in a daemon thread; returns (server, base URL)."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def check_site(root: Path, screenshots: Path | None = None, binary: str | None = None,
               pages: list[Path] | None = None) -> list[PageReport]:
    """Check every ``*.html`` page under ``root`` (except search/genindex); returns reports."""
    root = root.resolve()
    binary = binary or find_chromium()
    if binary is None:
        raise RuntimeError("no Chromium found: apt-get install chromium (or set $CHROMIUM)")
    skip = {"search.html", "genindex.html"}
    pages = pages or sorted(p for p in root.rglob("*.html")
                            if p.name not in skip and "_static" not in p.parts
                            and "_sources" not in p.parts)
    server, base = serve(root)
    browser = Browser(binary)
    try:
        reports = []
        for page in pages:
            rel = page.relative_to(root).as_posix()
            if target := redirect_target(page):  # e.g. the root index.html: only its target
                reports.append(PageReport(rel, links=[urljoin(base + rel, target)]))
                continue
            shot = screenshots / (rel.replace("/", "__")[:-5] + ".png") if screenshots else None
            reports.append(check_page(browser, base + rel, rel, shot))
    finally:
        browser.close()
        server.shutdown()
    for path, errs in broken_links(reports, base, root).items():
        next(r for r in reports if r.path == path).errors.extend(errs)
    return reports


def main(argv: list[str] | None = None) -> int:
    """Command line: check a built site, print one line per problem, exit 1 on any."""
    ap = argparse.ArgumentParser(prog="browser_check", description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path, help="the built HTML folder, e.g. _build/html")
    ap.add_argument("--screenshots", type=Path, default=None, help="folder for one PNG per page")
    args = ap.parse_args(argv)
    if not (args.site / "index.html").exists():
        print(f"browser_check: error: {args.site}/index.html not found; run `make book` first",
              file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        reports = check_site(args.site, args.screenshots)
    except RuntimeError as e:
        print(f"browser_check: error: {e}", file=sys.stderr)
        return 2
    bad = 0
    for r in reports:
        for err in r.errors:
            print(f"{r.path}: {err}")
            bad += 1
    print(f"browser check: {len(reports)} pages, {bad} problems, "
          f"{time.perf_counter() - t0:.1f} s" + (f"; screenshots in {args.screenshots}"
                                                  if args.screenshots else ""))
    return 1 if bad else 0
