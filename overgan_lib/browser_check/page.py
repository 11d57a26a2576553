"""One page as a reader sees it: console errors, missing images, unrendered math, a visible
injected-parameters cell, its links and anchors, and a screenshot."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from .devtools import Browser

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
