"""Internal links across the checked pages: a missing file or a missing #anchor is broken; a
meta-refresh stub (jupyter-book's root index.html) counts only for where it sends."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

from .page import PageReport


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
