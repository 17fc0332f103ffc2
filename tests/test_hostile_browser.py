"""No script from a snippet runs on the site: HTML and SVG outputs, an object's
``_repr_html_`` and a string value quoted in prose, each trying to set
``window.__pwned``, are built into a real site (cell fences and notebook pages)
and opened in Chromium. The markup stays on the page, inert."""

from __future__ import annotations

import pytest

from helpers import Project
from site_fixtures import build_site, serve

EVIL = """
# %% html
from IPython.display import HTML, SVG, display
display(HTML('<b id="bold">bold</b><img id="h" src="x" onerror="window.__pwned = 1">'
             '<script>window.__pwned = 2</script>'))

# %% svg
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="window.__pwned = 3">'
            '<script>window.__pwned = 4</script><rect id="r" width="10" height="10"/></svg>'))

# %% repr
class Table:
    def _repr_html_(self):
        return '<table id="t"><tr><td onclick="window.__pwned = 5">cell</td></tr></table><iframe src="javascript:window.top.__pwned = 6"></iframe>'
Table()

# %% value
label = '<img id="v" src="x" onerror="window.__pwned = 7">'
"""

MKDOCS_YML = """\
site_name: hostile
strict: true
theme: {name: material, font: false}
plugins:
  - execdoc
  - mkdocs-jupyter:
      include: ["notebooks/*.ipynb"]
      execute: false
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("hostile") / "proj")
    (project.root / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    project.snippet("evil", EVIL)
    project.page("index.md", "# Outputs\n\nThe label is {{ evil.label }}.\n\n```snippet\nevil.py\n```\n")
    dest = project.root / "site"
    run = build_site(project.root, dest)
    assert run.returncode == 0, run.stderr[-3000:]
    server = serve(dest)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", ["/", "/notebooks/evil/"])
def test_no_script_from_a_snippet_runs_on_a_built_page(browser, hostile_site, path):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_site + path, wait_until="load")
    page.wait_for_timeout(500)  # an onerror fires once the broken image has failed to load
    shown = ["td >> text=cell", "b >> text=bold"] + (['svg[width="10"] rect'] if path == "/" else [])
    for selector in shown:  # the outputs are on the page, inert, not dropped
        assert page.locator(selector).count() == 1, selector
    page.locator("td >> text=cell").click()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    if path == "/":  # the value is text in prose, not an element
        assert page.locator("#v").count() == 0
        assert '<img id="v" src="x" onerror="window.__pwned = 7">' in page.locator("article p").first.inner_text()
    page.close()
