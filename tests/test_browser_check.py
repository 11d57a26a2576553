"""The browser check finds each kind of problem on a tiny synthetic site (needs Chromium)."""

from __future__ import annotations

import pytest

from overgan_lib import browser_check as bc

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(bc.find_chromium() is None,
                                 reason="Chromium not installed (apt-get install chromium)")]

GOOD = """<!doctype html><html><head><title>good</title></head><body>
<h1 id="top">Good page</h1><p>Plain text, a <a href="bad.html#sec">link with anchor</a>,
a <a href="sub/">folder link</a>, an <a href="https://example.org/">external link</a>
and code that may hold <code>$$x$$</code>.</p>
<img src="ok.png" alt="ok"></body></html>"""
BAD = """<!doctype html><html><head><title>bad</title></head><body>
<h2 id="sec">Bad page</h2><p>Raw math: \\(x^2\\) and $$y$$.</p>
<a href="missing.html">gone</a> <a href="index.html#nowhere">no anchor</a>
<img src="absent.png" alt="absent">
<div class="cell tag_injected-parameters"><pre>profile = "smoke"</pre></div>
<div class="cell tag_injected-parameters" style="display:none">hidden is fine</div>
<script>console.error("boom")</script></body></html>"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")


def _site(tmp_path):
    tmp_path.mkdir(parents=True)
    (tmp_path / "index.html").write_text(GOOD)
    (tmp_path / "bad.html").write_text(BAD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text("<html><body><p>sub</p></body></html>")
    (tmp_path / "ok.png").write_bytes(PNG)
    return tmp_path


def test_detects_each_problem_and_passes_a_clean_page(tmp_path):
    site = _site(tmp_path / "site")
    reports = {r.path: r for r in bc.check_site(site, tmp_path / "shots")}
    assert reports["index.html"].errors == []
    assert reports["sub/index.html"].errors == []
    errs = "\n".join(reports["bad.html"].errors)
    assert "console error: boom" in errs
    assert "missing image: absent.png" in errs
    assert "broken link: missing.html (no such file)" in errs
    assert "broken link: index.html#nowhere (no anchor #nowhere)" in errs
    assert "unrendered math" in errs and "x^2" in errs and "$$y$$" in errs
    assert "1 visible injected-parameters cell(s)" in errs
    assert len(reports["bad.html"].errors) == 7, errs
    shots = sorted(p.name for p in (tmp_path / "shots").iterdir())
    assert shots == ["bad.png", "index.png", "sub__index.png"]


def test_cli_exit_codes(tmp_path, capsys):
    site = _site(tmp_path / "site")
    assert bc.main([str(site)]) == 1
    assert "bad.html: console error: boom" in capsys.readouterr().out
    (site / "bad.html").unlink()
    (site / "index.html").write_text(GOOD.replace('bad.html#sec', 'sub/'))
    assert bc.main([str(site)]) == 0, capsys.readouterr().out
    assert bc.main([str(tmp_path / "nothing")]) == 2
