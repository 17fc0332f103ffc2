"""Search as readers meet it, in Chromium: one index per language, fetched when search opens;
the page a reader looks for among the first three results, entered as an input method commits it; Chinese cut
the same way by the build and by the browser; the words of a followed result marked whole.

The site side is tools/coursekit/search.py (the indexes), docs/assets/javascripts/search-loader.js
and search-worker.js (the browser) and the search settings in mkdocs.yml.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from coursekit.search import CUT_RUN, ZWSP, segment

ROOT = {"zh": "/", "en": "/en/"}
INPUT = ".md-search__input"

# (what a reader types, the page that must be among the first three results), per language.
ZH = [
    ("卷积", "algorithms/convolution/"), ("卷积神经网络", "concepts/cnn/"), ("反向传播", "algorithms/backprop/"),
    ("链式法则", "algorithms/backprop/"), ("梯度检查", "algorithms/backprop/"), ("神经网络", "concepts/neural-networks/"),
    ("神经元", "concepts/neural-networks/"), ("循环神经网络", "concepts/rnn/"), ("隐藏状态", "concepts/rnn/"),
    ("生成对抗网络", "concepts/gan/"), ("判别器", "concepts/gan/"), ("变分自编码器", "concepts/vae/"),
    ("重参数化", "concepts/vae/"), ("激活函数", "algorithms/activations/"), ("梯度消失", "algorithms/activations/"),
    ("损失函数", "algorithms/loss-optimization/"), ("优化器", "algorithms/loss-optimization/"),
    ("交叉熵", "algorithms/loss-optimization/"), ("池化", "algorithms/convolution/"), ("填充", "algorithms/convolution/"),
    ("步长", "algorithms/convolution/"), ("过拟合", "generalisation/"), ("LSTM", "code/lstm/"), ("遗忘门", "algorithms/recurrence/"),
    ("时间序列预测", "code/lstm/"), ("ELBO", "concepts/vae/"), ("极小极大", "algorithms/gan-objective/"),
    ("JS散度", "algorithms/gan-objective/"), ("发展趋势", "trends/"), ("常见问题", "faq/"), ("性能", "performance/"),
    ("复习", "review/"), ("背景介绍", ""), ("权值共享", "concepts/cnn/"), ("平移等变", "concepts/cnn/"),
    ("模式崩溃", "code/gan/"), ("沿时间反向传播", "algorithms/recurrence/"), ("验证集", "generalisation/"),
    ("权重衰减", "generalisation/math/"), ("早停", "generalisation/math/"), ("术语表", "glossary/"),
]
EN = [
    ("convolution", "algorithms/convolution/"), ("convolutional neural network", "concepts/cnn/"),
    ("backpropagation", "algorithms/backprop/"), ("chain rule", "algorithms/backprop/"),
    ("gradient checking", "algorithms/backprop/"), ("padding", "algorithms/convolution/"),
    ("stride", "algorithms/convolution/"), ("pooling", "algorithms/convolution/"),
    ("neural network", "concepts/neural-networks/"), ("neuron", "concepts/neural-networks/"),
    ("recurrent neural network", "concepts/rnn/"), ("hidden state", "concepts/rnn/"), ("LSTM", "code/lstm/"),
    ("generative adversarial network", "concepts/gan/"), ("discriminator", "concepts/gan/"),
    ("minimax", "algorithms/gan-objective/"), ("variational autoencoder", "concepts/vae/"),
    ("reparameterisation trick", "concepts/vae/"), ("ELBO", "concepts/vae/"),
    ("activation function", "algorithms/activations/"), ("vanishing gradients", "algorithms/activations/"),
    ("ReLU", "algorithms/activations/"), ("loss function", "algorithms/loss-optimization/"),
    ("optimiser", "algorithms/loss-optimization/"), ("cross-entropy", "algorithms/loss-optimization/"),
    ("overfitting", "generalisation/"), ("BPTT", "algorithms/recurrence/"), ("time series forecasting", "code/lstm/"),
    ("weight sharing", "concepts/cnn/"), ("trends", "trends/"), ("frequently asked questions", "faq/"),
    ("performance", "performance/"), ("review", "review/"), ("mode collapse", "code/gan/"),
    ("exploding gradients", "algorithms/recurrence/"), ("translation equivariance", "concepts/cnn/"),
    ("validation set", "generalisation/"), ("weight decay", "generalisation/math/"),
    ("early stopping", "generalisation/math/"), ("glossary", "glossary/"),
]
TABLE = [("zh", q, "/" + page) for q, page in ZH] + [("en", q, "/en/" + page) for q, page in EN]

# Counts what Material asks its search worker and what it answers (message types: 1 ready,
# 2 query, 3 result), so a test waits for the answer to the last query, not for a moment of quiet.
WATCH_WORKER = """
(() => {
  const Base = window.Worker
  window.__search = { ready: false, asked: 0, answered: 0 }
  window.Worker = function (url, options) {
    const worker = new Base(url, options)
    const post = worker.postMessage.bind(worker)
    worker.postMessage = message => { if (message.type === 2) window.__search.asked++; post(message) }
    worker.addEventListener("message", ev => setTimeout(() => {  // after Material has drawn it
      if (ev.data.type === 1) window.__search.ready = true
      if (ev.data.type === 3) window.__search.answered++
    }))
    return worker
  }
})()
"""


def open_search(page) -> None:
    """Focus the search box as a reader does, and wait until this language's index is loaded."""
    page.click(INPUT)
    page.wait_for_function("() => window.__search.ready", timeout=60_000)


def results(page, query: str) -> list[str]:
    """Enter ``query`` in the open search box; the paths of the result pages, best first.

    The query arrives whole, as an input method commits it (an input event), and a key press
    follows, the keyup Material also reads the box on. Typed a key at a time, each prefix is a
    search of its own: four times the worker's work for the same last answer.
    """
    asked = page.evaluate("() => window.__search.asked")
    page.fill(INPUT, query)
    page.keyboard.press("End")
    page.wait_for_function("n => window.__search.asked > n && window.__search.answered === window.__search.asked",
                           arg=asked, timeout=20_000)
    hrefs = page.eval_on_selector_all(".md-search-result__item > a:first-child", "els => els.map(e => e.href)")
    return [urlsplit(href).path for href in hrefs]


def watched_context(browser):
    context = browser.new_context()
    context.add_init_script(WATCH_WORKER)
    return context


@pytest.fixture(scope="module")
def watched(browser):
    context = watched_context(browser)
    yield context
    context.close()


@pytest.fixture(scope="module")
def search_pages(watched, site_url):
    """One open search per language, reused by every query of the table."""
    pages = {}

    def page_for(lang: str):
        if lang not in pages:
            pages[lang] = watched.new_page()
            pages[lang].goto(site_url + ROOT[lang], wait_until="load")
            open_search(pages[lang])
        return pages[lang]

    return page_for


@pytest.mark.parametrize("lang, query, expected", TABLE, ids=[f"{lang}-{q}" for lang, q, _ in TABLE])
def test_the_page_a_reader_looks_for_is_in_the_first_three(search_pages, lang, query, expected):
    found = results(search_pages(lang), query)
    # "loss function": the chapter and its notebook ("Losses and optimisers") are both the page for it
    accepted = {expected, "/en/notebooks/optimizers/"} if query == "loss function" else {expected}
    assert accepted & set(found[:3]), found[:8]
    assert [path for path in found if path.startswith("/en/") != (lang == "en")] == []  # this language only


def test_words_before_the_last_are_matched_whole(search_pages):
    # Scenario: only the last word may be unfinished. "mode" is a whole word, so a page that says
    # "models" but neither "mode" nor "collapse" is no result (it was the first when "mode" was a prefix).
    found = results(search_pages("en"), "mode collapse")
    assert found[0] == "/en/code/gan/"
    assert "/en/notebooks/faq_linear_vs_mlp/" not in found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_index_is_fetched_when_search_opens_and_only_in_the_page_language(browser, site_url, lang):
    context = watched_context(browser)  # its own: nothing cached by the other tests
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page.goto(f"{site_url}{ROOT[lang]}algorithms/backprop/", wait_until="networkidle")
    assert [path for path in fetched if "/search/" in path] == []
    open_search(page)
    assert [path for path in fetched if "/search/" in path] == [f"/search/search_index.{lang}.json"]
    context.close()


def marks(page) -> list[tuple[str, str, str]]:
    """Each highlighted word with the characters just before and after it."""
    return [tuple(m) for m in page.eval_on_selector_all("mark[data-md-highlight]", """els => els.map(e => [
        e.textContent, (e.previousSibling?.textContent || " ").slice(-1), (e.nextSibling?.textContent || " ")[0]])""")]


def follow_first_result(watched, site_url: str, home: str, query: str, expected: str):
    """Type ``query`` on ``home``, check that ``expected`` comes first, follow it: the page it leads to."""
    page = watched.new_page()
    page.goto(site_url + home, wait_until="load")
    open_search(page)
    assert results(page, query)[0] == expected
    page.click(".md-search-result__item > a:first-child")
    page.wait_for_url(f"**{expected}**", wait_until="load")
    return page


def test_following_a_chinese_result_marks_the_whole_word(watched, site_url):
    # Scenario: 反向传播 is cut into 反向 / 传播, the words the index holds; the page it leads to
    # marks 反向传播 as one word, never a lone 传 (Material's own cutter led to ?h=传).
    page = follow_first_result(watched, site_url, "/", "反向传播", "/algorithms/backprop/")
    assert parse_qs(urlsplit(page.url).query)["h"] == ["反向 传播"]
    words = {word for word, _, _ in marks(page)}
    page.close()
    assert "反向传播" in words and words <= {"反向传播", "反向", "传播"}, words


def test_following_an_english_result_marks_whole_words_from_the_stem(watched, site_url):
    page = follow_first_result(watched, site_url, "/en/", "convolution", "/en/algorithms/convolution/")
    assert parse_qs(urlsplit(page.url).query)["h"] == ["convolut"]  # the stem the index holds
    found = marks(page)
    page.close()
    assert "Convolution" in {word for word, _, _ in found}
    partial = [m for m in found if not re.fullmatch(r"convolut[a-z]*", m[0].lower()) or m[1].isalnum() or m[2].isalnum()]
    assert partial == []


def index(real_site, lang: str) -> dict:
    return json.loads((real_site / "search" / f"search_index.{lang}.json").read_text("utf-8"))


def test_each_language_has_its_own_index_with_each_page_once(real_site):
    assert not (real_site / "search" / "search_index.json").exists()  # the shared one, 2 MB, is gone
    for lang in ("zh", "en"):
        pages = [doc["location"] for doc in index(real_site, lang)["docs"] if "#" not in doc["location"]]
        assert len(pages) == len(set(pages)) > 40
        assert all(page.startswith("en/") == (lang == "en") for page in pages), lang
        assert ("en/" if lang == "en" else "") + "notebooks/cnn/" in pages


def test_english_words_are_indexed_without_the_punctuation_after_them(real_site):
    data = index(real_site, "en")
    separator = re.compile(data["config"]["separator"])
    words = {word for doc in data["docs"] for field in ("title", "text")
             for word in separator.split(re.sub(r"<[^>]+>", " ", doc[field])) if word}
    stuck = sorted(word for word in words if re.search(r"[A-Za-z]", word) and re.search(r"[!-/:-@\[-`{-~]", word))
    assert stuck == []
    assert {"padding", "convolution"} <= words


def test_the_browser_cuts_chinese_into_the_words_the_build_cut(browser, real_site):
    # Every Chinese run of the Chinese index, cut by search-worker.js, gives the words the build
    # indexed: so a query typed as it appears on a page is looked up as the same words.
    data = index(real_site, "zh")
    runs = [run for doc in data["docs"] for field in ("title", "text") for run in CUT_RUN.findall(doc[field])]
    built = [run.split(ZWSP) for run in runs]
    assert len(runs) > 5000 and any(len(words) > 1 for words in built)
    seg = data["segmentation"]
    longest = max(map(len, seg["words"]))
    assert built == [segment("".join(words), seg["words"], seg["unknown"], longest) for words in built]
    page = browser.new_page()
    page.set_content("<!doctype html><title>segment</title>")
    page.add_script_tag(content=(real_site / "assets/javascripts/search-worker.js").read_text("utf-8"))
    cut = page.evaluate("([seg, runs]) => { useSegmentation(seg); return runs.map(run => segment(run)) }",
                        [seg, ["".join(words) for words in built]])
    page.close()
    assert cut == built
