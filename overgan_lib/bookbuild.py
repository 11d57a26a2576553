"""Build steps around papermill and jupyter-book that the Makefile calls.

``python -m overgan_lib.bookbuild papermill ARGS...``
    papermill's command line with ARGS, except that an error raised in a chapter (a bad
    override reaching the kernel, a missing dataset) is one line naming the chapter, the cell
    and the error, exit status 2, instead of papermill's whole traceback (the executed
    notebook papermill leaves still holds it). The chapter's kernel writes its stderr to
    ``<chapter>.kernel.log`` beside the output notebook, not to the terminal: what it prints
    there (ipykernel's start-up warning about TCP, libzmq's occasional assertion as the kernel
    is shut down after an error) is not the chapter's output and would break the one line.
``python -m overgan_lib.bookbuild hide-injected NB.ipynb``
    tag papermill's ``injected-parameters`` cell ``remove-cell`` so the HTML shows the
    parameters once (the chapter's own ``parameters`` cell; the build's profile is stamped on
    every figure and stated in each result's provenance).
``python -m overgan_lib.bookbuild vendor-mathjax DEST``
    copy MathJax 3 (the ``django-static-mathjax`` wheel from PyPI ships its ``es5`` build, no
    Django needed) to DEST, so the book renders math without a network.
``python -m overgan_lib.bookbuild postprocess HTML_DIR REPO_URL CHAPTER...``
    after jupyter-book: (1) chapters are staged as executed ``.ipynb`` files, so the theme's
    source, edit and launch links name ``book/<chapter>.ipynb``; the repository holds
    ``book/<chapter>.md``: point those links (and only those: the ``.ipynb`` download stays)
    at the ``.md`` files. (2) sphinx-thebe's inline configuration script is emitted twice per
    page by this jupyter-book/Sphinx combination, and the second copy throws "Identifier
    'THEBE_JS_URL' has already been declared" in every reader's console: drop exact repeats
    of inline scripts.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

INJECTED = "injected-parameters"
REMOVE = "remove-cell"
LAUNCH_HOSTS = ("https://mybinder.org/",)


def hide_injected_parameters(path: Path) -> int:
    """Add the ``remove-cell`` tag to papermill's injected cell(s); returns how many."""
    nb = json.loads(path.read_text())
    hidden = 0
    for cell in nb["cells"]:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if INJECTED in tags:
            if REMOVE not in tags:
                tags.append(REMOVE)
            hidden += 1
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return hidden


def mathjax_source() -> Path:
    """The ``es5`` folder of the MathJax 3 build installed from PyPI."""
    try:
        import mathjax  # django-static-mathjax
    except ImportError:
        raise SystemExit("MathJax is not installed: pip install 'django-static-mathjax==3.2.2.1' "
                         "(part of the book extra)") from None
    src = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (src / "tex-chtml-full.js").exists():
        raise SystemExit(f"{src} has no tex-chtml-full.js; reinstall django-static-mathjax")
    return src


def vendor_mathjax(dest: Path) -> Path:
    """Copy MathJax's es5 build to ``dest`` (replacing it); returns ``dest``."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(mathjax_source(), dest)
    return dest


def md_links(html_dir: Path, repo_url: str, chapters: list[str]) -> int:
    """Rewrite repository/launch links to ``book/<ch>.ipynb`` to ``.md``; returns the count."""
    prefixes = (repo_url.rstrip("/") + "/",) + LAUNCH_HOSTS
    names = "|".join(re.escape(c) for c in chapters)
    if not names:
        return 0
    link = re.compile(r'href="([^"]*)"')
    target = re.compile(rf"(book/(?:{names}))\.ipynb")
    total = 0

    def fix(m: re.Match) -> str:
        nonlocal total
        url = m.group(1)
        if not url.startswith(prefixes):
            return m.group(0)
        new, n = target.subn(r"\1.md", url)
        total += n
        return f'href="{new}"'

    for page in html_dir.rglob("*.html"):
        text = page.read_text()
        new = link.sub(fix, text)
        if new != text:
            page.write_text(new)
    return total


INLINE_SCRIPT = re.compile(r"<script>(?P<body>[^<]*)</script>\n?")


def dedupe_inline_scripts(html_dir: Path) -> int:
    """Remove exact repeats of inline ``<script>`` blocks in each page; returns the count."""
    total = 0
    for page in html_dir.rglob("*.html"):
        text, seen = page.read_text(), set()

        def once(m: re.Match) -> str:
            nonlocal total
            if m.group("body") in seen:
                total += 1
                return ""
            seen.add(m.group("body"))
            return m.group(0)

        new = INLINE_SCRIPT.sub(once, text)
        if new != text:
            page.write_text(new)
    return total


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@contextmanager
def children_stderr_to(log: Path) -> Iterator[None]:
    """Inside, processes started from here (the chapter's kernel) write their stderr to
    ``log``; this process's own ``sys.stderr`` (papermill's progress bar, the error line)
    still reaches the terminal.

    Why file descriptors: a kernel inherits fd 2 when it is spawned, and neither papermill's
    command line nor nbclient offer a way to give it another one.
    """
    sys.stderr.flush()
    ours = os.dup(2)
    with open(log, "wb") as f:
        os.dup2(f.fileno(), 2)
    stream = open(ours, "w", buffering=1, encoding="utf-8", errors="backslashreplace")
    saved, sys.stderr = sys.stderr, stream
    try:
        yield
    finally:
        stream.flush()
        os.dup2(stream.fileno(), 2)
        sys.stderr = saved
        # papermill's logging.basicConfig may have bound a handler to ``stream``
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is stream:
                handler.setStream(saved)
        stream.close()


def run_papermill(args: list[str]) -> int:
    """papermill's command line on ``args``; a chapter's error is one line on stderr and
    exit status 2 (``ename: evalue`` of the failing cell, ANSI colours removed); the kernel's
    stderr goes to ``<chapter>.kernel.log`` beside the output notebook."""
    import click
    from papermill.cli import papermill as papermill_cli
    from papermill.exceptions import PapermillExecutionError

    source = Path(args[-2]) if len(args) >= 2 else Path("notebook")
    log = Path(args[-1]).parent / f"{source.stem}.kernel.log" if len(args) >= 2 else None
    try:
        if log is not None and log.parent.is_dir():
            with children_stderr_to(log):
                papermill_cli.main(args=args, prog_name="papermill", standalone_mode=False)
        else:  # papermill reports the missing folder or the malformed command line
            papermill_cli.main(args=args, prog_name="papermill", standalone_mode=False)
    except PapermillExecutionError as exc:
        evalue = _ANSI.sub("", str(exc.evalue)).strip().splitlines() or [""]
        print(f"error: {source.stem}, cell {exc.exec_count}: {exc.ename}: {evalue[0]}",
              file=sys.stderr)
        return 2
    except SystemExit as exc:  # papermill exits 138 when the kernel died (after its traceback)
        if exc.code != 138 or log is None:
            raise
        print(f"error: {source.stem}: the kernel died (out of memory?); its stderr is in {log}",
              file=sys.stderr)
        return 2
    except click.exceptions.Abort:
        return 130
    except click.ClickException as exc:  # a malformed papermill option in PARAMS
        exc.show()
        return 2
    return 0


def main(argv: list[str]) -> int:
    """Command-line entry (see the module docstring)."""
    if argv[:1] == ["papermill"]:
        return run_papermill(argv[1:])
    if argv[:1] == ["hide-injected"] and len(argv) == 2:
        hide_injected_parameters(Path(argv[1]))
    elif argv[:1] == ["vendor-mathjax"] and len(argv) == 2:
        vendor_mathjax(Path(argv[1]))
    elif argv[:1] == ["postprocess"] and len(argv) >= 3:
        md_links(Path(argv[1]), argv[2], argv[3:])
        dedupe_inline_scripts(Path(argv[1]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
