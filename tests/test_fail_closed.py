"""The boundaries fail closed: configuration typos before any kernel, fences and
value references that cannot be rendered fail the page, names agree everywhere.

Python-Markdown's superfences shows a fence as plain code when its formatter
raises anything but its own exception type, and leaves text it does not
recognise as it is: both would let `mkdocs build --strict` pass with the
content gone. Each scenario asserts the one line a person reads.
"""

from __future__ import annotations

import concurrent.futures

import pytest
from pymdownx.superfences import SuperFencesException

from helpers import OK_SNIPPET
from execdoc import ExecdocError, cli, pipeline
from execdoc.kernel import run as execute
from execdoc.markdown import current_lang, current_page
from quiz_fixtures import SINGLE_BANK as SINGLE, copy_project, md_for, write_bank

BAD_PNG = """
# %% figure
from IPython.display import display
display({"image/png": "bm90IGEgcG5n"}, raw=True)   # base64 of "not a png"
"""


@pytest.fixture(scope="module")
def quiz_project(tmp_path_factory, quiz_template):
    project = copy_project(quiz_template, tmp_path_factory.mktemp("closed") / "proj")
    project.snippet("badpng", BAD_PNG)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(pipeline.build, project.config).result().ok
    return project


def convert(project, source: str) -> str:
    """As the host renders docs/x.md, a Chinese page."""
    token, lang = current_page.set("docs/x.md"), current_lang.set("zh")
    try:
        return md_for(project).convert(source)
    finally:
        current_page.reset(token)
        current_lang.reset(lang)


def failure(project, source: str) -> str:
    with pytest.raises(ExecdocError) as info:
        convert(project, source)
    assert isinstance(info.value, SuperFencesException)  # superfences lets it through: the build fails
    return str(info.value)


def test_fence_error_fails_build_on_a_bank_that_is_not_utf8(quiz_project):
    (quiz_project.root / "docs" / "latin1.yml").write_bytes(SINGLE.lstrip("\n").encode("utf-8") + b"# caf\xe9\n")
    line = SINGLE.lstrip("\n").count("\n") + 1
    assert failure(quiz_project, "```quiz\nlatin1.yml\n```") == (
        f"docs/x.md: quiz 'latin1.yml': docs/latin1.yml:{line}: not UTF-8: byte 0xe9 cannot be decoded; save the bank as UTF-8")


def test_fence_error_fails_build_on_a_list_as_a_key(quiz_project):
    write_bank(quiz_project, SINGLE + "[a, b]: 1\n", "listkey.yml")
    line = SINGLE.lstrip("\n").count("\n") + 1
    assert failure(quiz_project, "```quiz\nlistkey.yml\n```") == (
        f"docs/x.md: quiz 'listkey.yml': docs/listkey.yml:{line}: a key must be text, got ['a', 'b']")


def test_fence_error_fails_build_on_latex_the_converter_rejects(quiz_project):
    write_bank(quiz_project, SINGLE.replace("prompt: {zh: 问, en: Ask}", r"prompt: {zh: '问 $\frac{1}{$', en: Ask}"),
               "latex.yml")
    assert failure(quiz_project, "```quiz\nlatex.yml\n```") == (
        "docs/x.md: quiz 'latex.yml': formula '$\\frac{1}{$': cannot convert $\\frac{1}{$: NoAvailableTokensError: ")


def test_fence_error_fails_build_on_an_output_that_is_not_a_png(quiz_project):
    assert failure(quiz_project, "```snippet\nbadpng.py#figure\n```") == (
        "docs/x.md: snippet reference 'badpng.py#figure': error: unpack requires a buffer of 8 bytes")


@pytest.mark.parametrize("text", ["{{ tiny.answer | .1% }", "{{ ti-ny.answer }}", "{{ }}", "{{tiny.answer | d}"])
def test_malformed_value_reference_fails_build(quiz_project, text):
    assert failure(quiz_project, f"答案是 {text}。") == (
        f"docs/x.md: value reference '{text}': looks like a value reference but does not parse "
        "(write {{ snippet.value }} or {{ snippet.value | format }})")


def test_well_formed_references_and_code_still_render(quiz_project):
    assert convert(quiz_project, "答案 {{ tiny.answer }}，`{{ not.parsed }}`") == (
        "<p>答案 42，<code>{{ not.parsed }}</code></p>")


def boom(*args, **kwargs):
    raise AssertionError("a kernel started")


@pytest.mark.parametrize("table, message", [
    ('normalisers = ["timing"]',
     "[tool.execdoc] normalisers: unknown normaliser 'timing' "
     "(known: addresses, timings, progress, tmpdirs, paths)"),
    ('rtol = "abc"', "[tool.execdoc] rtol: expected a number, got 'abc'"),
    ("[tool.execdoc.snippet.tyni]\ntimeout = 5", "[tool.execdoc.snippet.tyni]: no snippet snippets/tyni.py "
                                                 "(snippets: tiny)"),
    ('[tool.execdoc.snippet.tiny]\nthreads = "2"', "[tool.execdoc.snippet.tiny] threads: expected a whole number, "
                                                   "got '2'"),
    ("[tool.execdoc.snippet.tiny]\ntimout = 5", "[tool.execdoc.snippet.tiny]: unknown option(s) timout "
                                               "(known: atol, data, env, memory, rtol, threads, timeout)"),
    ('profiles = ["native", "arm"]', "[tool.execdoc] profiles: unknown profile 'arm' "
                                     "(known: native, avx2, avx512, baseline, threads2)"),
    ('kernel = "julia-1.9"', "[tool.execdoc] kernel: no Jupyter kernel 'julia-1.9' (installed: python3)"),
    ('languages = ["zh", "zh"]', "[tool.execdoc] languages: expected distinct language codes such as \"zh\" "
                                 "or \"en\", got ['zh', 'zh']"),
    ('key_packages = "numpy"', "[tool.execdoc] key_packages: expected a list of strings, got 'numpy'"),
    ('preload = ["torch", "scikit-learn"]', "[tool.execdoc] preload: not a module name: 'scikit-learn'"),
    ('docs_folder = "site-src"', "[tool.execdoc]: unknown option(s) docs_folder (known: atol, docs, jobs, "
                                 "kernel, key_packages, languages, max_output_bytes, max_snippet_output_bytes, memory, "
                                 "normalisers, pass_env, preload, profiles, records, "
                                 "report, rtol, safety_factor, snippet, snippets, threads, timeout, volatile_spread)"),
])
def test_config_typo_exits_2_before_any_kernel(project, monkeypatch, capsys, table, message):
    project.snippet("tiny", OK_SNIPPET)
    project.options(table)
    monkeypatch.setattr(execute, "run_snippet", boom)
    assert cli.main(["--root", str(project.root), "build"]) == 2
    assert capsys.readouterr().err == f"execdoc: error: {project.root / 'pyproject.toml'} {message}\n"
    assert not project.record("tiny").exists()


def test_status_and_build_agree_on_names(project, capsys):
    project.snippet("tiny", OK_SNIPPET)
    assert cli.main(["--root", str(project.root), "build", "tiny.py"]) == 0
    capsys.readouterr()
    for name in ("tiny", "tiny.py", "snippets/tiny.py"):
        assert cli.main(["--root", str(project.root), "status", name]) == 0
        assert capsys.readouterr().err == "0 stale\n"
    for command in ("status", "build", "check"):
        assert cli.main(["--root", str(project.root), command, "nosuch"]) == 2
        assert capsys.readouterr().err == "execdoc: error: no such snippet: nosuch (snippets: tiny)\n"
