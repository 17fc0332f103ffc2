"""The quiz widget in Chromium (Playwright) on a small site built with
``mkdocs build --strict`` and ``EXECDOC_EXECUTE=false``, served over HTTP.

One browser for the module, a fresh context (empty localStorage) per test. Every
page is watched: a console error or an uncaught exception fails the test. In CI
(``CI=true``) a missing browser fails these tests; elsewhere they are skipped.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from execdoc.quiz import html as quizrender
from quiz_fixtures import BANK, SINGLE_BANK, copy_project, md_for, write_bank

ASSETS = Path(quizrender.__file__).parents[1] / "assets"

MKDOCS_YML = """\
site_name: quiz
strict: true
theme: {name: material, language: zh, font: false}
plugins:
  - execdoc:
      execute: !ENV [EXECDOC_EXECUTE, true]
markdown_extensions:
  - pymdownx.highlight
  - execdoc.markdown
"""


def mkdocs_build(root: Path, out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "EXECDOC_EXECUTE": "false"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=root,
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]


def write_site(project) -> None:
    (project.root / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    write_bank(project, BANK, "ch/quiz.yml")
    write_bank(project, SINGLE_BANK, "two.quiz.yml")
    project.page("index.md", "# Home\n\n[Quiz](ch/quiz.md) · [Two](two.md) · [Review](review.md)\n")
    project.page("ch/quiz.md", "# Chapter one\n\n```quiz\nch/quiz.yml\n```\n")
    project.page("two.md", "# Chapter two\n\nSome text.\n\n## Quiz\n\n```quiz\ntwo.quiz.yml\n```\n")
    project.page("review.md", '# Review\n\n```quiz mode="review"\n```\n')


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory, quiz_template):
    """The built site under /site/, served on a free local port; ``served.root`` is the project."""
    base = tmp_path_factory.mktemp("quizsite")
    project = copy_project(quiz_template, base / "proj")
    write_site(project)
    www = base / "www"
    mkdocs_build(project.root, www / "site")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served = type("Served", (), {})()
    served.project, served.www, served.url = project, www, f"http://127.0.0.1:{server.server_address[1]}"
    yield served
    server.shutdown()
    server.server_close()


@pytest.fixture
def context(browser):
    context = browser.new_context(accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(context, served):
    """A page whose console errors and uncaught exceptions fail the test."""
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto_quiz = lambda path="site/ch/quiz/": page.goto(f"{served.url}/{path}")
    yield page
    assert errors == []


def question(page, qid, bank="ch/quiz.yml"):
    return page.locator(f'li[data-key="{bank}#{qid}"]')


def choose(page, qid, *labels, bank="ch/quiz.yml"):
    q = question(page, qid, bank)
    for label in labels:
        q.locator(".quiz-v:not([hidden]) label.quiz-opt", has_text=label).locator("input").check()
    q.locator(".quiz-check").click()
    return q


def type_answer(page, qid, text, raises=False):
    q = question(page, qid)
    q.locator(".quiz-v:not([hidden]) input[type=text]").fill(text)
    if raises:
        q.locator(".quiz-v:not([hidden]) input[type=checkbox]").check()
    q.locator(".quiz-check").click()
    return q


def feedback(q):
    return q.locator(".quiz-feedback").inner_text()


def score(page):
    return page.locator(".quiz-score").first.inner_text()


def active(page) -> str:
    """The focused element's classes (less Material's focus-visible marker) and name."""
    return page.evaluate("[...document.activeElement.classList].filter(c => c !== 'focus-visible').join(' ')"
                         " + '|' + (document.activeElement.name || '')")


# --- answering ---------------------------------------------------------------------

def test_wrong_then_right_answer_shows_feedback_and_moves_focus(page):
    page.goto_quiz()
    assert score(page) == "得分 0 / 8，已答 0 题"
    q = choose(page, "pick", "乙")
    assert feedback(q) == "✗ 回答错误。\n\n错\n\n因为甲"
    assert active(page) == "quiz-feedback quiz-wrong|"
    page.wait_for_function("document.querySelector('.quiz-live').textContent === '第 1 题：✗ 回答错误。'")
    assert q.locator("label.is-right").inner_text() == "甲\n正确答案"
    assert q.locator("label.is-wrong").inner_text() == "乙\n你的选择（错误）"
    assert q.locator("input[type=radio]").evaluate_all("els => els.every(e => e.disabled)")
    q.locator(".quiz-retry").click()
    assert q.locator(".quiz-feedback").is_hidden()
    q = choose(page, "pick", "甲")
    assert feedback(q) == "✓ 回答正确。\n\n对\n\n因为甲"
    assert score(page) == "得分 1 / 8，已答 1 题"


def test_score_partial_credit_and_numbers_in_any_notation(page):
    page.goto_quiz()
    q = choose(page, "several", "一")
    assert feedback(q).startswith("◐ 部分正确：选对 1/2 项，多选 0 项。")
    assert score(page) == "得分 0.5 / 8，已答 1 题"
    for written in (".5", "5e-1", "0.5"):
        q = type_answer(page, "half", written)
        assert feedback(q).startswith("✓ 回答正确。"), written
        q.locator(".quiz-retry").click()
    q = type_answer(page, "half", "2")
    assert feedback(q) == "✗ 回答错误。\n\n那是两倍\n\n正确答案：0.5 个\n\n一除以二"
    q = type_answer(page, "name", "  Chain RULE. ")
    assert feedback(q).startswith("✓ 回答正确。")
    assert score(page) == "得分 1.5 / 8，已答 3 题"


def test_output_questions_accept_any_shape_notation_and_errors(page):
    page.goto_quiz()
    for written in ("8×16×15×15", "[8,16,15,15]", "(8, 16, 15, 15)"):
        q = type_answer(page, "shape", written)
        assert feedback(q).startswith("✓ 回答正确。"), written
        q.locator(".quiz-retry").click()
    assert feedback(type_answer(page, "printed", "43")).startswith("✓")
    q = type_answer(page, "error", "ZeroDivisionError")
    assert feedback(q) == "✗ 回答错误。\n\n正确答案：抛出 ZeroDivisionError: division by zero\n\n除以零"
    q.locator(".quiz-retry").click()
    assert feedback(type_answer(page, "error", "", raises=True)).startswith("✓ 回答正确。")


def test_empty_answer_asks_first_and_counts_nothing(page):
    page.goto_quiz()
    q = question(page, "half")
    q.locator(".quiz-check").click()
    assert feedback(q) == "请先作答。"
    q = type_answer(page, "half", "half")
    assert feedback(q) == "请输入一个数，例如 0.5、.5 或 5e-1。"
    assert score(page) == "得分 0 / 8，已答 0 题"


def test_try_again_shows_new_numbers(page):
    page.goto_quiz()
    q = question(page, "doubled")
    assert q.locator(".quiz-v:not([hidden]) .quiz-prompt").inner_text() == "3 的两倍"
    assert feedback(type_answer(page, "doubled", "6")).startswith("✓")
    q.locator(".quiz-retry").click()
    assert q.locator(".quiz-v:not([hidden]) .quiz-prompt").inner_text() == "4 的两倍"
    assert page.evaluate("document.activeElement.id") == "q-ch-quiz-doubled-v1-in"   # the new variant's input
    assert feedback(type_answer(page, "doubled", "9")) == "✗ 回答错误。\n\n多加了一\n\n正确答案：8\n\n2 × 4 = 8，42"


# --- progress ---------------------------------------------------------------------------

def test_reload_keeps_progress(page):
    page.goto_quiz()
    choose(page, "pick", "乙")
    type_answer(page, "half", ".5")
    page.reload()
    assert score(page) == "得分 1 / 8，已答 2 题"
    assert feedback(question(page, "pick")).startswith("✗ 回答错误。")
    assert question(page, "pick").locator("input[value='1']").is_checked()
    assert question(page, "half").locator("input[type=text]").input_value() == ".5"
    assert question(page, "half").locator("input[type=text]").is_disabled()
    stored = json.loads(page.evaluate("localStorage.getItem('execdoc-quiz')"))
    assert set(stored["q"]) == {"ch/quiz.yml#pick", "ch/quiz.yml#half"}
    assert stored["q"]["ch/quiz.yml#pick"]["h"] == question(page, "pick").get_attribute("data-hash")


def test_edited_question_alone_starts_fresh_after_a_rebuild(page, served):
    page.goto_quiz()
    choose(page, "pick", "甲")
    type_answer(page, "half", ".5")
    edited = served.www.parent / "edited"
    shutil.copytree(served.project.root, edited)
    bank = edited / "docs" / "ch" / "quiz.yml"
    bank.write_text(bank.read_text("utf-8").replace("What is half}", "What is one half}"), "utf-8")
    mkdocs_build(edited, served.www / "rebuilt")
    page.goto_quiz("rebuilt/ch/quiz/")
    assert score(page) == "得分 1 / 8，已答 1 题"
    assert feedback(question(page, "pick")).startswith("✓ 回答正确。")
    assert question(page, "half").locator(".quiz-feedback").is_hidden()
    assert question(page, "half").locator("input[type=text]").input_value() == ""
    assert "ch/quiz.yml#half" not in json.loads(page.evaluate("localStorage.getItem('execdoc-quiz')"))["q"]


def test_a_broken_bank_fails_the_strict_build_naming_page_bank_and_line(served, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(served.project.root, broken)
    bank = broken / "docs" / "ch" / "quiz.yml"
    bank.write_text(bank.read_text("utf-8").replace("    explanation: {zh: 因为甲, en: Because A}\n", ""), "utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "EXECDOC_EXECUTE": "false"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                         cwd=broken, capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode != 0
    # The first page that shows the bank stops the build: the chapter or the review page.
    assert re.search(r"^ERROR\s+-\s+(ch/quiz\.md: quiz 'ch/quiz\.yml'|review\.md: quiz '\(every bank\)'): "
                     r"docs/ch/quiz\.yml:3: question 'pick': missing 'explanation'$", run.stderr, re.M)


def test_keyboard_alone_completes_the_quiz(page):
    page.goto_quiz()

    def tab_to(selector):
        for _ in range(80):
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
            page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    def current(qid, what=""):
        return f'li[data-key="ch/quiz.yml#{qid}"] .quiz-v:not([hidden]) {what}'.strip()

    tab_to(current("pick", "input[value='0']"))
    page.keyboard.press("Space")
    tab_to('li[data-key="ch/quiz.yml#pick"] .quiz-check')
    page.keyboard.press("Enter")
    assert active(page) == "quiz-feedback quiz-right|"               # focus moved to the feedback
    tab_to(current("several", "input[value='0']"))
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    tab_to('li[data-key="ch/quiz.yml#several"] .quiz-check')
    page.keyboard.press("Enter")
    for qid, text in [("half", ".5"), ("name", "链式法则"), ("shape", "8 16 15 15"), ("printed", "43")]:
        tab_to(current(qid, "input[type=text]"))
        page.keyboard.type(text)
        page.keyboard.press("Enter")
    tab_to(current("error", "input[type=checkbox]"))
    page.keyboard.press("Space")
    tab_to('li[data-key="ch/quiz.yml#error"] .quiz-check')
    page.keyboard.press("Enter")
    tab_to(current("doubled", "input[type=text]"))
    page.keyboard.type("6")
    page.keyboard.press("Enter")
    assert score(page) == "得分 8 / 8，已答 8 题"
    page.keyboard.press("Tab")                                        # from the feedback to "try again"
    assert active(page) == "quiz-retry|"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "q-ch-quiz-doubled-v1-in"


def test_start_over_clears_the_chapter(page):
    page.goto_quiz()
    choose(page, "pick", "甲")
    page.locator(".quiz-reset").click()
    assert score(page) == "得分 0 / 8，已答 0 题"
    page.wait_for_function("document.querySelector('.quiz-live').textContent === '已全部重做。'")


# --- review, export, import ----------------------------------------------------------

def test_review_lists_missed_questions_across_chapters_in_repetition_order(page):
    page.goto_quiz()
    choose(page, "pick", "乙")
    type_answer(page, "half", "2")
    type_answer(page, "name", "chain rule")                          # right: not for review
    page.goto_quiz("site/two/")
    choose(page, "q", "乙", bank="two.quiz.yml")
    page.goto_quiz("site/review/")
    visible = page.locator(".quiz-q:not([hidden])")
    assert score(page) == "待复习 3 题"
    assert [li.get_attribute("data-key") for li in visible.all()] == [
        "two.quiz.yml#q", "ch/quiz.yml#half", "ch/quiz.yml#pick"]     # all due now: the latest miss first
    assert visible.locator(".quiz-due").all_inner_texts() == ["章 · 现在复习", "第一章 · 现在复习", "第一章 · 现在复习"]
    q = choose(page, "pick", "甲")                                   # right once: back in a day, not listed till then
    assert feedback(q).startswith("✓ 回答正确。")
    page.reload()
    assert [li.get_attribute("data-key") for li in visible.all()] == ["two.quiz.yml#q", "ch/quiz.yml#half"]
    assert score(page) == "待复习 2 题"
    page.goto_quiz()                                                  # right again before it is due: no promotion
    question(page, "pick").locator(".quiz-retry").click()
    choose(page, "pick", "甲")
    assert json.loads(page.evaluate("localStorage.getItem('execdoc-quiz')"))["q"]["ch/quiz.yml#pick"]["box"] == 1


def test_export_and_import_progress_as_a_file(page, context, tmp_path):
    page.goto_quiz()
    choose(page, "pick", "乙")
    page.goto_quiz("site/review/")
    with page.expect_download() as download:
        page.locator(".quiz-export").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text("utf-8"))
    assert data["format"] == "execdoc-quiz" and list(data["q"]) == ["ch/quiz.yml#pick"]
    page.evaluate("localStorage.clear()")
    page.reload()
    assert score(page) == "没有需要复习的题目：答错的题会出现在这里。"
    page.locator(".quiz-import input").set_input_files(saved)
    page.wait_for_function("document.querySelector('.quiz-live').textContent === '已导入 1 题的进度。'")
    assert score(page) == "待复习 1 题"
    page.locator(".quiz-import input").set_input_files({"name": "bad.json", "mimeType": "application/json",
                                                        "buffer": b"{not json"})
    page.wait_for_function("document.querySelector('.quiz-live').textContent === '无法读取这个文件。'")
    page.goto_quiz()
    assert feedback(question(page, "pick")).startswith("✗ 回答错误。")


# --- language, motion, accessibility, loading -------------------------------------------

def test_interface_speaks_the_words_the_page_was_built_with(page, served):
    """The widget's words come from the table execdoc writes into the quiz (the
    page language's, from execdoc/i18n): swap in the English table, get English."""
    from execdoc.i18n import strings
    from execdoc.quiz.safe import embed_json

    def english(route):
        response = route.fetch()
        body = re.sub(r'(<script type="application/json" class="quiz-ui">).*?(</script>)',
                      lambda m: m.group(1) + embed_json(strings("en")) + m.group(2), response.text(), flags=re.S)
        route.fulfill(response=response, body=body)

    page.route("**/ch/quiz/", english)
    page.goto_quiz()
    assert score(page) == "Score 0 / 8, 0 answered"
    assert question(page, "pick").locator(".quiz-check").inner_text() == "Check answer"
    q = choose(page, "pick", "乙")
    assert feedback(q).startswith("✗ Wrong.")


@pytest.mark.parametrize("motion, transition", [("reduce", "0s"), ("no-preference", "0.2s")])
def test_reduced_motion_is_respected(browser, served, motion, transition):
    context = browser.new_context(reduced_motion=motion)
    try:
        page = context.new_page()
        page.goto(f"{served.url}/site/ch/quiz/")
        duration = page.evaluate("getComputedStyle(document.querySelector('.quiz-feedback')).transitionDuration")
        assert duration == transition
    finally:
        context.close()


@pytest.mark.parametrize("path", ["site/ch/quiz/", "site/review/"])
def test_axe_finds_no_serious_violations(page, path):
    from axe_playwright_python.sync_playwright import Axe
    page.goto_quiz()
    choose(page, "pick", "乙")                                      # feedback visible, review not empty
    type_answer(page, "shape", "1, 2")
    page.goto_quiz(path)
    # Material's own footer line ("Made with Material for MkDocs") has too little contrast; not ours.
    results = Axe().run(page, context={"exclude": [[".md-copyright"]]})
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_assets_are_served_and_loaded_only_on_quiz_pages(served):
    site = served.www / "site"
    js, css = (site / "execdoc" / "quiz.js").read_bytes(), (site / "execdoc" / "quiz.css").read_bytes()
    assert js == (ASSETS / "quiz.js").read_bytes() and css == (ASSETS / "quiz.css").read_bytes()
    assert len(js) + len(css) <= 16_500  # 15 KB before the review's bank loader (1.8 KB; it saves 300 KB)
    quiz_page = (site / "ch" / "quiz" / "index.html").read_text("utf-8")
    assert '<link rel="stylesheet" href="../../execdoc/quiz.css"></head>' in quiz_page
    assert '<script src="../../execdoc/quiz.js" defer></script></body>' in quiz_page
    home = (site / "index.html").read_text("utf-8")
    assert "quiz.js" not in home and "quiz.css" not in home


def test_widget_works_without_mkdocs(page, served):
    """Any Python-Markdown host: convert with the fence, include the two assets."""
    body = md_for(served.project).convert("```quiz\ntwo.quiz.yml\n```")
    folder = served.www / "plain"
    folder.mkdir(exist_ok=True)
    for name in ("quiz.js", "quiz.css"):
        shutil.copy(ASSETS / name, folder / name)
    (folder / "index.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>Quiz</title>'
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="quiz.css"></head>'
        f'<body><main>{body}</main><script src="quiz.js" defer></script></body></html>', "utf-8")
    page.goto_quiz("plain/")
    q = choose(page, "q", "甲", bank="two.quiz.yml")
    assert feedback(q) == "✓ 回答正确。\n\n对\n\n因为"
    assert score(page) == "得分 1 / 1，已答 1 题"
