"""The quiz widget's words and accessibility in Chromium: what a screen reader is told,
the right option named in words and ARIA, English plurals, the review page's schedule
and the keyboard a numeric answer needs.

The site is test_quiz_browser's (its fixtures and helpers, imported) plus one bank of
this module's, built twice: in Chinese under /site/ and in English under /en/. Time is
Playwright's fixed clock, so the schedule is tested day by day without waiting.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from datetime import datetime, timedelta, timezone

import pytest

import test_quiz_browser
from quiz_fixtures import copy_project, write_bank
from test_quiz_browser import MKDOCS_YML, Quiet, choose, feedback, mkdocs_build, question, score, write_site

# test_quiz_browser's fixtures, by the names the tests ask for; `served` is this module's own (below).
context, page = test_quiz_browser.context, test_quiz_browser.page

# Five options, three right: one and two wrong picks still score above zero (partial credit).
ACCESS_BANK = """
title: {zh: 无障碍, en: Access}
questions:
  - id: three
    type: multi
    prompt: {zh: 选三个, en: Pick three}
    options:
      - {text: A, correct: true, feedback: {zh: 对, en: yes}}
      - {text: B, correct: true, feedback: {zh: 对, en: yes}}
      - {text: C, correct: true, feedback: {zh: 对, en: yes}}
      - {text: D, feedback: {zh: 错, en: no}}
      - {text: E, feedback: {zh: 错, en: no}}
    explanation: {zh: 甲乙丙, en: "A, B and C"}
  - id: milli
    type: numeric
    prompt: {zh: 千分之一, en: One thousandth}
    answer: "1e-3"
    format: ".0e"
    tolerance: {rel: 0.01}
    explanation: {zh: 十的负三次方, en: Ten to the minus three}
  - id: minus
    type: numeric
    prompt: {zh: 负一半, en: Minus one half}
    answer: -0.5
    tolerance: {abs: 0.01}
    explanation: {zh: 负的, en: Negative}
"""

T0 = datetime(2030, 1, 7, 9, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def served(tmp_path_factory, quiz_template):
    """test_quiz_browser's site plus ACCESS_BANK (page access/), in Chinese under /site/ and English under /en/."""
    base = tmp_path_factory.mktemp("a11ysite")
    project = copy_project(quiz_template, base / "proj")
    write_site(project)
    write_bank(project, ACCESS_BANK, "access.quiz.yml")
    project.page("access.md", "# Access\n\n```quiz\naccess.quiz.yml\n```\n")
    www = base / "www"
    mkdocs_build(project.root, www / "site")
    (project.root / "mkdocs.yml").write_text(MKDOCS_YML.replace("language: zh", "language: en"), "utf-8")
    mkdocs_build(project.root, www / "en")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    served = type("Served", (), {})()
    served.project, served.www, served.url = project, www, f"http://127.0.0.1:{server.server_address[1]}"
    yield served
    server.shutdown()
    server.server_close()


def at(page, when, path=None):
    """Load ``path`` (else reload) with the page's clock fixed at ``when``."""
    page.clock.set_fixed_time(when)
    if path is None:
        page.reload()
    else:
        page.goto_quiz(path)


def typed(page, key, text):
    """Type ``text`` into the question ``bank#id`` and check it."""
    q = page.locator(f'li[data-key="{key}"]')
    q.locator(".quiz-v:not([hidden]) input[type=text]").fill(text)
    q.locator(".quiz-check").click()
    return q


def announced(page, text):
    page.wait_for_function("t => document.querySelector('.quiz-live').textContent === t", arg=text)


def answer_right(page, key):
    """Answer ``key``, one of the single or multiple choice questions of test_quiz_browser's site, right."""
    bank, qid = key.split("#")
    choose(page, qid, *(("一", "二") if qid == "several" else ("甲",)), bank=bank)


def marks(q):
    """Each option of the shown variant as "text|what it is marked" (nothing before an answer)."""
    return q.locator(".quiz-v:not([hidden]) .quiz-opt").evaluate_all(
        "ls => ls.map(l => l.querySelector('span').textContent + '|' +"
        " [...l.querySelectorAll('.quiz-mark')].map(m => m.textContent).join())")


def listed(page):
    return [li.get_attribute("data-key") for li in page.locator(".quiz-q:not([hidden])").all()]


def miss(page, when, *keys):
    """Answer each of ``keys`` (bank#id, a choice whose option 乙 or 三 is wrong) wrong in its chapter,
    one minute apart from ``when``."""
    for n, key in enumerate(keys):
        bank, qid = key.split("#")
        at(page, when + timedelta(minutes=n), "site/ch/quiz/" if bank == "ch/quiz.yml" else "site/two/")
        retry = question(page, qid, bank).locator(".quiz-retry")
        if retry.is_visible():
            retry.click()
        choose(page, qid, "三" if qid == "several" else "乙", bank=bank)


# --- screen-reader announcements ---------------------------------------------------------

def test_review_announcement_numbers_questions_as_the_list_shows_them(page):
    miss(page, T0, "ch/quiz.yml#pick", "two.quiz.yml#q")
    at(page, T0 + timedelta(minutes=5), "site/review/")
    assert listed(page) == ["two.quiz.yml#q", "ch/quiz.yml#pick"]    # the most recent miss first
    choose(page, "pick", "甲")                                      # second shown, ninth of the page's questions
    announced(page, "第 2 题：✓ 回答正确。")
    choose(page, "q", "甲", bank="two.quiz.yml")
    announced(page, "第 1 题：✓ 回答正确。")


# --- the right option, not by colour alone ----------------------------------------------------

def test_right_option_and_wrong_pick_are_named_in_words_and_aria(page):
    page.goto_quiz()
    q = choose(page, "pick", "乙")
    assert marks(q) == ["甲|正确答案", "乙|你的选择（错误）"]
    assert q.get_by_role("radio", name="甲 正确答案", exact=True).get_attribute("aria-invalid") is None
    assert q.get_by_role("radio", name="乙 你的选择（错误）", exact=True).get_attribute("aria-invalid") == "true"
    page.reload()                                                    # restored from storage: marked alike
    assert marks(q) == ["甲|正确答案", "乙|你的选择（错误）"]
    q.locator(".quiz-retry").click()
    assert marks(q) == ["甲|", "乙|"]
    assert q.locator("[aria-invalid]").count() == 0
    q = choose(page, "several", "一", "三")                          # multi: every right option, the wrong pick
    assert marks(q) == ["一|正确答案", "二|正确答案", "三|你的选择（错误）"]
    assert q.get_by_role("checkbox", name="三 你的选择（错误）", exact=True).get_attribute("aria-invalid") == "true"


# --- English plurals ------------------------------------------------------------------------

def test_english_counts_take_one_and_other_forms(page, served):
    page.goto_quiz("en/access/")
    q = question(page, "three", bank="access.quiz.yml")
    for option in "ABCD":
        q.get_by_role("checkbox", name=option).check()
    q.locator(".quiz-check").click()
    assert feedback(q).splitlines()[0] == "◐ Partly correct: 3 of 3 right, 1 wrong pick."
    q.locator(".quiz-retry").click()
    for option in "ABCDE":
        q.get_by_role("checkbox", name=option).check()
    q.locator(".quiz-check").click()
    assert feedback(q).splitlines()[0] == "◐ Partly correct: 3 of 3 right, 2 wrong picks."
    page.evaluate("localStorage.clear()")                           # partly right is a miss: start afresh
    at(page, T0, "en/ch/quiz/")
    choose(page, "pick", "B")
    at(page, T0, "en/review/")
    choose(page, "pick", "A")                                        # right: back in a day
    at(page, T0)
    assert score(page) == "Nothing to review now: the next question is due in 1 day."
    at(page, T0 + DAY, "en/review/")
    choose(page, "pick", "A")                                        # right when due: back in three days
    at(page, T0 + 2 * DAY)
    assert score(page) == "Nothing to review now: the next question is due in 2 days."
    progress = page.evaluate("localStorage.getItem('execdoc-quiz')")
    entry = json.loads(progress)["q"]["ch/quiz.yml#pick"]
    for n, keys in ((1, ["ch/quiz.yml#pick"]), (2, ["ch/quiz.yml#pick", "two.quiz.yml#q"])):
        data = {"format": "execdoc-quiz", "version": 1, "q": {k: entry for k in keys}}
        page.evaluate("localStorage.clear()")
        page.locator(".quiz-import input").set_input_files(
            {"name": "p.json", "mimeType": "application/json", "buffer": json.dumps(data).encode()})
        announced(page, f"Imported progress for {n} question{'s' if n > 1 else ''}.")
    one = (served.www / "en" / "two" / "index.html").read_text("utf-8")
    assert '<p class="quiz-score">1 question</p>' in one              # the count before the script runs
    assert '<p class="quiz-score">8 questions</p>' in (served.www / "en" / "ch" / "quiz" / "index.html").read_text()


# --- the review schedule -----------------------------------------------------------------------

def test_review_schedule_keeps_a_right_answer_away_until_it_is_due(page):
    q, several, pick = "two.quiz.yml#q", "ch/quiz.yml#several", "ch/quiz.yml#pick"
    miss(page, T0, pick, several, q)                                 # at T0, T0 + 1 min, T0 + 2 min
    review = T0 + timedelta(minutes=5)
    at(page, review, "site/review/")
    assert listed(page) == [q, several, pick] and score(page) == "待复习 3 题"  # the latest miss first
    for right in (q, several, pick):                                  # right once: back in a day
        answer_right(page, right)
    at(page, review)
    assert listed(page) == [] and score(page) == "现在没有需要复习的题目：下一题 1 天后复习。"
    at(page, review + DAY - timedelta(seconds=1))
    assert listed(page) == []                                        # not a second early
    at(page, review + timedelta(hours=1), "site/ch/quiz/")            # right in the chapter before it is due:
    question(page, "pick").locator(".quiz-retry").click()             # no promotion, still back in a day
    answer_right(page, pick)
    at(page, review + DAY, "site/review/")
    assert listed(page) == [q, several, pick] and score(page) == "待复习 3 题"
    assert page.locator(".quiz-q:not([hidden]) .quiz-due").all_inner_texts() == [
        "章 · 现在复习", "第一章 · 现在复习", "第一章 · 现在复习"]
    for right in (q, several, pick):                                  # right again: back in three days
        answer_right(page, right)
    at(page, review + DAY + timedelta(minutes=1))
    assert listed(page) == [] and score(page) == "现在没有需要复习的题目：下一题 3 天后复习。"
    at(page, review + 4 * DAY - timedelta(seconds=1))
    assert listed(page) == []
    at(page, review + 4 * DAY)
    assert listed(page) == [q, several, pick]
    for right in (q, several, pick):                                  # the third right answer: learnt
        answer_right(page, right)
    at(page, review + 100 * DAY)
    assert listed(page) == [] and score(page) == "没有需要复习的题目：答错的题会出现在这里。"


def test_a_miss_in_a_chapter_puts_a_scheduled_question_back_at_once(page):
    miss(page, T0, "ch/quiz.yml#pick")
    at(page, T0 + timedelta(minutes=1), "site/review/")
    choose(page, "pick", "甲")
    miss(page, T0 + timedelta(minutes=2), "ch/quiz.yml#pick")        # in the chapter: wrong again, box 0
    at(page, T0 + timedelta(minutes=3), "site/review/")
    assert listed(page) == ["ch/quiz.yml#pick"]


# --- the keyboard a number needs ------------------------------------------------------------------

def test_numeric_keyboard_follows_what_the_answer_needs_and_1e_minus_3_is_accepted(page):
    page.goto_quiz("site/access/")
    mode = "el => el.getAttribute('inputmode')"
    assert question(page, "milli", bank="access.quiz.yml").locator("input").evaluate(mode) == "text"
    assert question(page, "minus", bank="access.quiz.yml").locator("input").evaluate(mode) == "text"
    page.goto_quiz()
    assert question(page, "half").locator("input").evaluate(mode) == "decimal"
    assert question(page, "doubled").locator(".quiz-v input").evaluate_all(f"els => els.map({mode})") == [
        "decimal", "decimal"]
    page.goto_quiz("site/access/")
    for written in ("1e-3", "1E-3", "1e−3", "0.001"):
        q = typed(page, "access.quiz.yml#milli", written)
        assert feedback(q) == "✓ 回答正确。\n\n十的负三次方", written
        q.locator(".quiz-retry").click()
    q = typed(page, "access.quiz.yml#milli", "1e-2")
    assert feedback(q) == "✗ 回答错误。\n\n正确答案：1e-03\n\n十的负三次方"
    assert feedback(typed(page, "access.quiz.yml#minus", "-0.5")) == "✓ 回答正确。\n\n负的"


def test_a_count_phrase_without_plural_forms_fails_naming_table_and_key(monkeypatch):
    from execdoc.i18n import strings
    from execdoc.quiz import QuizError, html as quizhtml

    monkeypatch.setattr(quizhtml, "strings", lambda lang: {**strings("zh"), "later": "{d} 天后"})
    with pytest.raises(QuizError) as info:
        quizhtml.render_review([], "zh")
    assert str(info.value) == ("execdoc's i18n table 'zh': 'later' needs plural forms, "
                               '{"one": ..., "other": ...} ("other" alone where the language has one form)')
