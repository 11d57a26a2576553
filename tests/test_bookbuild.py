"""Build steps: the injected-parameters cell is hidden, source links point at the .md files,
MathJax is vendored."""

from __future__ import annotations

import json

import pytest

from overgan_lib import bookbuild


def test_hide_injected_parameters_tags_only_that_cell(tmp_path):
    nb = {"cells": [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "profile='cpu'"},
        {"cell_type": "code", "metadata": {"tags": ["injected-parameters"]}, "source": "p"},
        {"cell_type": "code", "metadata": {}, "source": "x = 1"},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "ch.ipynb"
    path.write_text(json.dumps(nb))
    assert bookbuild.hide_injected_parameters(path) == 1
    assert bookbuild.hide_injected_parameters(path) == 1  # idempotent
    tags = [c["metadata"].get("tags") for c in json.loads(path.read_text())["cells"]]
    assert tags == [["parameters"], ["injected-parameters", "remove-cell"], []]


def test_md_links_rewrites_repository_and_binder_links_only(tmp_path):
    repo = "https://github.com/overgan/overgan"
    page = tmp_path / "book" / "04_convergence.html"
    page.parent.mkdir()
    page.write_text(
        f'<a href="{repo}/blob/main/book/04_convergence.ipynb">source</a>'
        f'<a href="{repo}/edit/main/book/04_convergence.ipynb">edit</a>'
        '<a href="https://mybinder.org/v2/gh/overgan/overgan/main?urlpath=lab/tree/'
        'book/04_convergence.ipynb">binder</a>'
        '<a href="../_sources/book/04_convergence.ipynb">download</a>'
        f'<a href="{repo}/blob/main/book/other.ipynb">not a chapter</a>')
    assert bookbuild.md_links(tmp_path, repo, ["04_convergence", "status"]) == 3
    html = page.read_text()
    assert html.count("book/04_convergence.md") == 3
    assert "_sources/book/04_convergence.ipynb" in html and "book/other.ipynb" in html


def test_vendor_mathjax_copies_the_es5_build(tmp_path):
    pytest.importorskip("mathjax", reason="django-static-mathjax (book extra) not installed")
    dest = bookbuild.vendor_mathjax(tmp_path / "mathjax")
    assert (dest / "tex-chtml-full.js").stat().st_size > 500_000
    assert (dest / "output" / "chtml" / "fonts" / "woff-v2" / "MathJax_Main-Regular.woff").exists()


def test_cli_usage_error(capsys):
    assert bookbuild.main(["nope"]) == 2
    assert "postprocess" in capsys.readouterr().err


def test_dedupe_inline_scripts_keeps_the_first_copy(tmp_path):
    page = tmp_path / "p.html"
    cfg = '<script>const THEBE_JS_URL = "x"; const a = 1</script>\n'
    page.write_text(f"<head>{cfg}<script src='a.js'></script>{cfg}<script>other()</script>"
                    "</head>")
    assert bookbuild.dedupe_inline_scripts(tmp_path) == 1
    html = page.read_text()
    assert html.count("THEBE_JS_URL") == 1 and "other()" in html and "a.js" in html
