"""The course's own banks: valid against the committed records, and up to the bar
(every chapter at least 6 questions, at least 2 generated from code; every type used)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from execdoc.quiz import export as quizexport, find_banks, html as quizrender, load_bank, model
from execdoc.records.library import Library
from test_quiz_export import check_gift

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
CHAPTERS = {  # bank -> the page that shows it
    "index.quiz.yml": "index.md", "concepts/quiz.yml": "concepts/quiz.md", "algorithms/quiz.yml": "algorithms/quiz.md",
    "code/quiz.yml": "code/quiz.md", "trends.quiz.yml": "trends.md", "faq.quiz.yml": "faq.md",
    "generalisation/quiz.yml": "generalisation/quiz.md",
}


@pytest.fixture(scope="module")
def banks():
    library = Library(root=REPO)
    return [load_bank(DOCS, path, library) for path in find_banks(DOCS)]


def test_every_chapter_has_a_valid_bank_of_six_with_two_generated(banks):
    assert sorted(b.path for b in banks) == sorted(CHAPTERS)
    for bank in banks:
        assert len(bank.questions) >= 6, bank.path
        assert sum(q.generated for q in bank.questions) >= 2, bank.path
        assert all(len(q.variants) >= 2 for q in bank.questions if q.generated), bank.path
    types = Counter(q.type for b in banks for q in b.questions)
    assert set(types) == set(model.TYPES), types


@pytest.mark.parametrize("suffix", [".md", ".en.md"])
def test_quiz_pages_hold_their_fence_in_both_languages(suffix):
    for path in ("concepts/quiz.yml", "algorithms/quiz.yml", "code/quiz.yml"):
        page = DOCS / CHAPTERS[path].replace(".md", suffix)
        assert f"```quiz\n{path}\n```" in page.read_text("utf-8")
    assert '```quiz mode="review"\n```' in (DOCS / f"review{suffix}").read_text("utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_bank_renders_and_exports_in_both_languages(banks, lang):
    for bank in banks:
        out = quizrender.render_bank(bank, lang)
        assert out.count('<li class="quiz-q"') == len(bank.questions)
    assert check_gift(quizexport.gift(banks, lang)) == sum(len(q.variants) for b in banks for q in b.questions)
