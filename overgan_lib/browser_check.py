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
import base64
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Runs in the page after load: waits for MathJax, then reports what a reader would see.
PAGE_JS = r"""
(async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    try { await MathJax.startup.promise; } catch (e) { console.error('MathJax: ' + e); }
  }
  const visible = (el) => el.checkVisibility ? el.checkVisibility() : !!el.offsetParent;
  const skip = 'pre, code, script, style, mjx-container, textarea, .MathJax';
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip) || !visible(el)) continue;
    const t = n.textContent;
    const i = Math.max(t.indexOf('\\('), t.indexOf('\\['), t.indexOf('$$'));
    if (i >= 0) raw.push(t.slice(Math.max(0, i - 30), i + 40).trim());
  }
  const untypeset = [...document.querySelectorAll('.math')]
    .filter((el) => visible(el) && !el.querySelector('mjx-container'))
    .map((el) => el.textContent.slice(0, 60));
  const images = [...document.images]
    .filter((im) => !(im.complete && im.naturalWidth > 0))
    .map((im) => im.getAttribute('src'));
  const links = [...document.querySelectorAll('a[href]')].map((a) => a.href);
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id)
    .concat([...document.querySelectorAll('a[name]')].map((e) => e.name));
  const injected = [...document.querySelectorAll('.tag_injected-parameters')]
    .filter(visible).length;
  return JSON.stringify({raw, untypeset, images, links, ids, injected,
                         mathjax: !!(window.MathJax && MathJax.startup)});
})()
"""


@dataclass
class PageReport:
    """What the browser saw on one page."""

    path: str
    errors: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    seconds: float = 0.0


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome binary, or None ($CHROMIUM overrides)."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in CANDIDATES:
        if path := shutil.which(name):
            return path
    return None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no access log on stderr
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``root`` on 127.0.0.1 (a free port) in a daemon thread; returns (server, base URL)."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class Browser:
    """Headless Chromium with one page target, spoken to over the DevTools protocol."""

    def __init__(self, binary: str, width: int = 1280, height: int = 900):
        import websocket  # websocket-client

        self.profile = tempfile.mkdtemp(prefix="overgan-chromium-")
        args = [binary, "--headless=new", "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--disable-background-networking", "--disable-component-update",
                f"--window-size={width},{height}",
                # offline: every host but the local server is unreachable
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=127.0.0.1",
                "about:blank"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root otherwise
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.time() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError(f"{binary} did not start its DevTools endpoint")
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            page = next(t for t in json.load(r) if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30,
                                              suppress_origin=True)
        self._id = 0
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params) -> dict:
        """Send one command and return its result (events received meanwhile are kept)."""
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_event(self, name: str, timeout: float = 20.0) -> None:
        """Block until the event ``name`` arrives (or ``timeout`` seconds pass)."""
        if any(e["method"] == name for e in self.events):
            return
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.time()))
            try:
                msg = json.loads(self.ws.recv())
            except Exception:  # websocket timeout
                break
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == name:
                    break
        self.ws.settimeout(30)

    def close(self) -> None:
        """Stop Chromium and remove its temporary profile."""
        try:
            self.ws.close()
        except Exception:
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def _console_errors(events: list[dict]) -> list[str]:
    """Console errors, uncaught exceptions and failed loads among DevTools events."""
    out = []
    for e in events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"])
            out.append(f"console error: {args[:200]}")
        elif m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            desc = d.get("exception", {}).get("description") or d.get("text", "")
            out.append(f"uncaught exception: {desc.splitlines()[0][:200] if desc else '?'}")
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            ent = p["entry"]
            if ent.get("url", "").endswith("/favicon.ico"):
                continue  # the browser's own request, not the page's (pages set no icon)
            out.append(f"console error: {ent.get('text', '')[:160]} {ent.get('url', '')}".strip())
    return list(dict.fromkeys(out))


def check_page(browser: Browser, url: str, rel: str, shot: Path | None) -> PageReport:
    """Load one page, wait for it and for MathJax, and collect its problems."""
    t0 = time.perf_counter()
    browser.events.clear()
    browser.call("Page.navigate", url=url)
    browser.wait_event("Page.loadEventFired")
    res = browser.call("Runtime.evaluate", expression=PAGE_JS, awaitPromise=True,
                       returnByValue=True, timeout=20000)
    rep = PageReport(rel)
    if "exceptionDetails" in res:
        rep.errors.append(f"page script failed: {res['exceptionDetails'].get('text')}")
        return rep
    seen = json.loads(res["result"]["value"])
    rep.errors += _console_errors(browser.events)
    rep.errors += [f"missing image: {src}" for src in seen["images"]]
    rep.errors += [f"unrendered math: ...{t}..." for t in seen["raw"]]
    rep.errors += [f"math not typeset by MathJax: {t}" for t in seen["untypeset"]]
    if seen["untypeset"] and not seen["mathjax"]:
        rep.errors.append("MathJax did not load")
    if seen["injected"]:
        rep.errors.append(f"{seen['injected']} visible injected-parameters cell(s)")
    rep.links, rep.ids = seen["links"], set(seen["ids"])
    if shot is not None:
        shot.parent.mkdir(parents=True, exist_ok=True)
        png = browser.call("Page.captureScreenshot", format="png")["data"]
        shot.write_bytes(base64.b64decode(png))
    rep.seconds = time.perf_counter() - t0
    return rep


def _local_target(link: str, base: str, root: Path) -> tuple[Path, str] | None:
    """(file, fragment) of an internal link, or None for external/non-file links."""
    if not link.startswith(base):
        return None
    url, frag = urldefrag(link)
    rel = unquote(urlparse(url).path).lstrip("/")
    path = root / rel
    if rel == "" or path.is_dir():
        path = path / "index.html"
    return path, frag


def broken_links(reports: list[PageReport], base: str, root: Path) -> dict[str, list[str]]:
    """Internal links whose file is missing, or whose #anchor is absent from the target page."""
    ids = {str(root / r.path): r.ids for r in reports}
    out: dict[str, list[str]] = {}
    for r in reports:
        for link in r.links:
            target = _local_target(link, base, root)
            if target is None:
                continue
            path, frag = target
            rel = link[len(base):]
            if not path.exists():
                out.setdefault(r.path, []).append(f"broken link: {rel} (no such file)")
            elif frag and str(path) in ids and frag not in ids[str(path)]:
                out.setdefault(r.path, []).append(f"broken link: {rel} (no anchor #{frag})")
    return out


REFRESH = re.compile(r'<meta[^>]+http-equiv="refresh"[^>]+url=([^"]+)"', re.IGNORECASE)


def redirect_target(page: Path) -> str | None:
    """The URL a meta-refresh stub page (like jupyter-book's root index.html) sends to."""
    m = REFRESH.search(page.read_text(errors="replace")[:4000])
    return m.group(1).strip() if m else None


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


if __name__ == "__main__":
    raise SystemExit(main())
