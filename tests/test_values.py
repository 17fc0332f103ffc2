"""What a run keeps as values: anything a snippet can hold, never a secret."""

from __future__ import annotations

import nbformat

from execdoc import pipeline

SHADOWS = """
# %% shadows
import logging
type = "relu"                      # a top-level name that shadows a builtin
print = logging.getLogger("x").info
sorted, isinstance, json, repr = None, None, 3, "r"
layers = [8, 16]
"""

SECRETS = """
# %% secrets
import os
token = os.environ["HF_TOKEN"]
api_key = "sk-live-123"
db_password = "hunter2"
region = os.environ["EXECDOC_TEST_REGION"]   # any string read from the environment
monkey = "a key-free name"
steps = 3
"""

MISBEHAVES = """
# %% odd
class Tensorish:
    __module__ = "torch"

    @property
    def ndim(self):
        raise RuntimeError("no ndim here")


odd = Tensorish()
fine = 1.5
"""


def values(project, name):
    return nbformat.read(project.record(name), as_version=4).metadata.execdoc["values"]


def test_value_collection_survives_a_snippet_that_shadows_builtins(project):
    project.snippet("shadows", SHADOWS)
    report = pipeline.build(project.config)
    assert report.summary() == "1 executed, 0 reused, 0 failed", report.snippets[0].error
    assert values(project, "shadows") == {"type": "relu", "json": 3, "repr": "r", "layers": [8, 16],
                                          "sorted": None, "isinstance": None}


def test_credentials_and_environment_strings_are_never_kept(project, monkeypatch, capsys):
    monkeypatch.setenv("HF_TOKEN", "hf_abcdefgh")
    monkeypatch.setenv("EXECDOC_TEST_REGION", "eu-west")
    project.options('pass_env = ["HF_TOKEN", "EXECDOC_TEST_REGION"]')  # passed on on purpose: still withheld
    project.snippet("creds", SECRETS)
    assert pipeline.build(project.config).ok
    assert values(project, "creds") == {"monkey": "a key-free name", "steps": 3}
    text = project.record("creds").read_text("utf-8")
    assert "hf_abcdefgh" not in text and "eu-west" not in text  # literals in the code are the code's business
    assert ("execdoc: creds: not kept as values (a credential's name, or a string from the environment): "
            "api_key, db_password, region, token") in capsys.readouterr().err


def test_a_value_whose_type_misbehaves_is_skipped(project):
    project.snippet("odd", MISBEHAVES)
    assert pipeline.build(project.config).ok
    assert values(project, "odd") == {"fine": 1.5}


def test_a_string_value_in_prose_is_text_never_markup(project):
    import markdown

    project.snippet("hostile", '# %% label\nlabel = "<img src=x onerror=alert(7)> & co"\n')
    assert pipeline.build(project.config).ok
    md = markdown.Markdown(extensions=["execdoc.markdown"],
                           extension_configs={"execdoc.markdown": {"root": str(project.root), "assets": "none"}})
    assert md.convert("名字：{{ hostile.label }}") == "<p>名字：&lt;img src=x onerror=alert(7)&gt; &amp; co</p>"


HOSTILE_OUTPUTS = """
# %% table
from IPython.display import HTML, SVG, display
display(HTML('<table><tr><td onclick="steal()">1</td></tr></table><script>steal()</script>'
             '<img src=x onerror=alert(7)>'))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(8)">'
            '<script>alert(9)</script><circle cx="5" cy="5" r="2" fill="red"/></svg>'))

# %% widget tags=["raw-html"]
display(HTML('<button onclick="go()">go</button>'))
"""


def test_html_and_svg_outputs_are_sanitised_unless_the_cell_says_raw_html(project):
    project.snippet("hostile", HOSTILE_OUTPUTS)
    assert pipeline.build(project.config).ok
    cells = [c for c in nbformat.read(project.record("hostile"), as_version=4).cells if c.cell_type == "code"]
    table = cells[0].outputs
    assert table[0].data["text/html"] == '<table><tbody><tr><td>1</td></tr></tbody></table><img src="x">'
    assert table[1].data["image/svg+xml"] == (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<circle cx="5" cy="5" r="2" fill="red"></circle></svg>')
    assert cells[1].outputs[0].data["text/html"] == '<button onclick="go()">go</button>'
    assert cells[1].metadata["tags"] == ["raw-html"]
