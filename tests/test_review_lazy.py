"""The review page carries keys, not questions (on the course site, in Chromium).

Under MkDocs the review page holds, per bank, its questions' ids and hashes and the
script file with their HTML (execdoc/review/<bank>.<lang>.<hash>.js); quiz.js adds a
bank's script only when the reader has one of its questions due. A fresh reader loads
no bank; one who missed a question loads that bank alone and sees that question,
numbered 1 in what a screen reader is told; the same works from file:// (the offline
copy), where fetch() would not.
"""

from __future__ import annotations

import json
import re

import pytest

from execdoc.quiz import find_banks
from site_fixtures import REPO

HTML_LIMIT = 250_000
BANK = "trends.quiz.yml"  # its page: /trends/ (and /en/trends/), with several single-choice questions
REVIEW = {"zh": ("/review/", "/trends/", "第 1 题："), "en": ("/en/review/", "/en/trends/", "Question 1: ")}
BANK_SCRIPT = re.compile(r"/execdoc/review/[^/]+\.js$")


def bank_scripts(requests: list[str]) -> list[str]:
    return [url.rsplit("/", 1)[1] for url in requests if BANK_SCRIPT.search(url)]


def visit(context, url: str) -> tuple:
    """``url`` loaded until the network is idle: the page and every URL it requested."""
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="networkidle")
    return page, requests


def miss_last_single(page) -> str:
    """Answer the page's last single-choice question of BANK wrong (not its first: numbered 1 on the review
    only as the list shows it); its key (bank#id)."""
    q = page.locator(f'li.quiz-q[data-type="single"][data-key^="{BANK}#"]').last
    right = json.loads(q.locator(".quiz-key").text_content())["v"][0]["c"]
    options = q.locator(".quiz-v:not([hidden]) .quiz-opt input")
    wrong = next(i for i in range(options.count()) if i not in right)
    options.nth(wrong).check()
    q.locator(".quiz-check").click()
    page.wait_for_function("k => JSON.parse(localStorage.getItem('execdoc-quiz')).q[k]", arg=q.get_attribute("data-key"))
    return q.get_attribute("data-key")


def answer_right(page, key: str) -> None:
    q = page.locator(f'li.quiz-q[data-key="{key}"]')
    right = json.loads(q.locator(".quiz-key").text_content())["v"]
    shown = int(q.locator(".quiz-v:not([hidden])").get_attribute("data-v"))
    q.locator(".quiz-v:not([hidden]) .quiz-opt input").nth(right[shown]["c"][0]).check()
    q.locator(".quiz-check").click()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_fresh_reader_loads_no_bank(browser, site_url, lang):
    context = browser.new_context()
    page, requests = visit(context, site_url + REVIEW[lang][0])
    shown = page.locator(".quiz-q:not([hidden])").count()
    busy = page.locator(".quiz-review").get_attribute("aria-busy")
    context.close()
    assert bank_scripts(requests) == [] and shown == 0 and busy is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_missed_question_loads_its_bank_alone_and_is_question_1(browser, site_url, lang):
    review, chapter, first = REVIEW[lang]
    context = browser.new_context()
    page, _ = visit(context, site_url + chapter)
    key = miss_last_single(page)
    page.close()
    page, requests = visit(context, site_url + review)
    listed = [li.get_attribute("data-key") for li in page.locator(".quiz-q:not([hidden])").all()]
    busy = page.locator(".quiz-review").get_attribute("aria-busy")
    answer_right(page, key)
    page.wait_for_function("t => document.querySelector('.quiz-review .quiz-live').textContent.startsWith(t)", arg=first)
    context.close()
    scripts = bank_scripts(requests)
    assert len(scripts) == 1 and scripts[0].startswith(f"trends-quiz.{lang}.")
    assert listed == [key] and busy is None


def test_the_review_loads_its_bank_from_a_file_url_too(browser, real_site):
    """The offline copy: no server, so no fetch(); the bank comes as a <script src>."""
    context = browser.new_context()
    page, _ = visit(context, (real_site / "trends" / "index.html").as_uri())
    key = miss_last_single(page)
    page.close()
    page, requests = visit(context, (real_site / "review" / "index.html").as_uri())
    listed = [li.get_attribute("data-key") for li in page.locator(".quiz-q:not([hidden])").all()]
    context.close()
    assert len(bank_scripts(requests)) == 1 and listed == [key]


@pytest.mark.parametrize("page", ["review/index.html", "en/review/index.html"])
def test_the_review_html_is_light_and_lists_every_bank(real_site, page):
    file = real_site / page
    text = file.read_text("utf-8")
    keys = [json.loads(m) for m in re.findall(r'<script type="application/json" class="quiz-bank">(.*?)</script>', text)]
    banks = find_banks(REPO / "docs")
    assert file.stat().st_size < HTML_LIMIT and 'class="quiz-q"' not in text
    assert sorted(k["bank"] for k in keys) == banks and all(k["q"] for k in keys)
    for k in keys:  # each bank's script holds its questions, every one the keys name
        script = (file.parent / k["src"]).resolve().read_text("utf-8")
        call = re.fullmatch(r"execdocQuizBank\((.*)\);\n", script, re.S)
        bank, items = json.loads(f"[{call.group(1)}]")
        assert bank == k["bank"] and sorted(re.findall(r'data-key="[^"#]*#([^"]*)"', items)) == sorted(k["q"])
