"""Banks follow the project's languages (``[tool.execdoc] languages``): every text
in each of them, none other; one language takes plain strings; pages and exports
in a language execdoc has no interface words for fall back to English."""

from __future__ import annotations

import logging
import re

import pytest

from execdoc import cli, i18n
from execdoc.quiz import QuizError, export as quizexport, render_bank, render_review
from quiz_fixtures import load_bank, write_bank

THREE = """
title: {zh: 章, en: Chapter, fr: Chapitre}
questions:
  - id: pick
    type: single
    prompt: {zh: 选一个, en: Pick one, fr: Choisissez}
    options:
      - {text: {zh: 甲, en: A, fr: Un}, correct: true, feedback: {zh: 对, en: Right, fr: Juste}}
      - {text: B, feedback: {zh: 错, en: Wrong, fr: Faux}}
    explanation: {zh: 因为, en: Because, fr: Parce que}
  - id: half
    type: numeric
    prompt: {zh: 一半, en: Half, fr: Moitié}
    answer: 0.5
    tolerance: {abs: 0.01}
    unit: {zh: 个, en: units, fr: unités}
    mistakes:
      - {answer: 2, feedback: {zh: 两倍, en: Double, fr: Double}}
    explanation: {zh: 一除以二, en: One over two, fr: Un sur deux}
  - id: name
    type: text
    prompt: {zh: 叫什么, en: Its name, fr: Son nom}
    answers: {zh: [链式法则], en: [chain rule], fr: [règle de dérivation en chaîne]}
    explanation: {zh: 链式法则, en: The chain rule, fr: La règle}
"""


@pytest.fixture
def three(project):
    project.options('languages = ["zh", "en", "fr"]')
    return project


def test_three_language_bank(three, caplog):
    write_bank(three, THREE)
    bank = load_bank(three)
    assert bank.languages == ("zh", "en", "fr") and bank.title == {"zh": "章", "en": "Chapter", "fr": "Chapitre"}
    assert bank.questions[0].variants[0].options[1]["text"] == {"zh": "B", "en": "B", "fr": "B"}
    i18n.strings.cache_clear()  # the fallback warns once per process: start afresh
    with caplog.at_level(logging.WARNING, logger="execdoc"):
        pages = {lang: render_bank(bank, lang) for lang in ("zh", "en", "fr")}
        review = render_review([bank], "fr")
        gift = quizexport.gift([bank], "fr")
    assert "<p>选一个</p>" in pages["zh"] and ">检查答案</button>" in pages["zh"]
    assert "<p>Pick one</p>" in pages["en"] and ">Check answer</button>" in pages["en"]
    fr = pages["fr"]
    assert 'aria-label="Chapitre"' in fr and "<p>Choisissez</p>" in fr and "<span>Un</span>" in fr
    assert '<span class="quiz-unit">unités</span>' in fr and "<p>Parce que</p>" in fr
    assert ">Check answer</button>" in fr and ">3 questions</p>" in fr          # English interface words
    assert 'aria-label="Review"' in review and "<p>Choisissez</p>" in review
    assert "::pick::[markdown]Choisissez{" in gift and "=règle de dérivation en chaîne" in gift
    warnings = [r.getMessage() for r in caplog.records if r.name == "execdoc"]
    assert warnings == ["execdoc: no interface strings for language 'fr'; using English (shipped: en, zh)"]
    # every language's answers are accepted, whatever the page's language
    key = re.findall(r'class="quiz-key">(.*?)</script>', fr)[2]
    assert "règle de dérivation en chaîne" in key and "链式法则" in key
    # a text without French fails, naming file, line and language
    write_bank(three, THREE.replace("{zh: 选一个, en: Pick one, fr: Choisissez}", "{zh: 选一个, en: Pick one}"))
    with pytest.raises(QuizError) as info:
        load_bank(three)
    assert str(info.value) == "docs/t.quiz.yml:5: question 'pick': 'prompt' has no 'fr' text"


@pytest.mark.parametrize("edit, line, message", [
    (("{zh: 选一个, en: Pick one, fr: Choisissez}", "{zh: 选一个, en: Pick one}"), 5,
     "question 'pick': 'prompt' has no 'fr' text"),
    (("title: {zh: 章, en: Chapter, fr: Chapitre}", "title: {zh: 章, en: Chapter}"), 1, "'title' has no 'fr' text"),
    (("feedback: {zh: 对, en: Right, fr: Juste}", "feedback: {zh: 对, en: Right}"), 7,
     "question 'pick': option 1: 'feedback' has no 'fr' text"),
    (("fr: [règle de dérivation en chaîne]", "de: [Kettenregel]"), 22,
     "question 'name': 'answers' has unknown language 'de' (known: zh, en, fr)"),
    (("{zh: 一除以二, en: One over two, fr: Un sur deux}", "{zh: 一除以二, en: One over two, fr: Un sur deux, de: x}"), 18,
     "question 'half': 'explanation' has unknown language 'de' (known: zh, en, fr)"),
    (("prompt: {zh: 叫什么, en: Its name, fr: Son nom}", "prompt: Its name"), 21,
     "question 'name': 'prompt' needs text in each language: {zh: ..., en: ..., fr: ...}"),
])
def test_a_text_without_exactly_the_project_languages_fails_with_file_line(three, edit, line, message):
    write_bank(three, THREE.replace(*edit))
    with pytest.raises(QuizError) as info:
        load_bank(three)
    assert str(info.value) == f"docs/t.quiz.yml:{line}: {message}"


def test_a_page_in_a_language_the_project_lacks_is_named(three):
    write_bank(three, THREE)
    with pytest.raises(QuizError, match=r"^docs/t\.quiz\.yml: no 'de' text for this page "
                                        r"\(the project's languages: zh, en, fr\)$"):
        render_bank(load_bank(three), "de")


ONE = """
title: Chapter one
questions:
  - id: pick
    type: single
    prompt: Pick *one*
    options:
      - {text: A, correct: true, feedback: Right}
      - {text: B, feedback: Wrong}
    explanation: Because A
  - id: several
    type: multi
    prompt: {en: Pick two}
    options:
      - {text: one, correct: true, feedback: yes}
      - {text: two, correct: true, feedback: yes}
      - {text: three, feedback: no}
    explanation: one and two
  - id: half
    type: numeric
    prompt: What is half
    answer: 0.5
    tolerance: {rel: 0.1}
    unit: units
    mistakes:
      - {answer: 2, feedback: That is double}
    feedback: Well done
    explanation: One over two
  - id: name
    type: text
    prompt: Its name
    answers: [chain rule]
    mistakes:
      - {answer: product rule, feedback: That one multiplies}
    explanation: The chain rule
"""


def test_one_language_bank_takes_plain_strings(project, capsys):
    project.options('languages = ["en"]')
    write_bank(project, ONE)
    bank = load_bank(project)
    assert bank.languages == ("en",) and bank.title == {"en": "Chapter one"}
    pick, several, half, name = bank.questions
    assert pick.variants[0].prompt == {"en": "Pick *one*"} and several.variants[0].prompt == {"en": "Pick two"}
    assert pick.variants[0].options[0] == {"text": {"en": "A"}, "correct": True, "feedback": {"en": "Right"}}
    assert half.variants[0].mistakes == [{"answer": 2, "feedback": {"en": "That is double"}}]
    assert name.variants[0].answer == {"en": ["chain rule"]}
    out = render_bank(bank, "en")
    assert out.count('<li class="quiz-q"') == 4 and "<p>Pick <em>one</em></p>" in out
    assert '<div data-fb="m0"><p>That one multiplies</p></div>' in out and ">Check answer</button>" in out
    # the export's language is the project's only one, by default
    assert cli.main(["--root", str(project.root), "quiz", "export", "--format", "gift"]) == 0
    assert "::pick::[markdown]Pick *one*{\n\t=A#Right\n\t~B#Wrong\n####Because A\n}" in capsys.readouterr().out
    assert cli.main(["--root", str(project.root), "quiz", "export", "--format", "gift", "--lang", "zh"]) == 2
    assert capsys.readouterr().err == "execdoc: error: --lang zh: not one of the project's languages (en)\n"


def test_one_language_bank_rejects_another_language(project):
    project.options('languages = ["en"]')
    write_bank(project, ONE.replace("prompt: {en: Pick two}", "prompt: {en: Pick two, zh: 选两个}"))
    with pytest.raises(QuizError, match=r"^docs/t\.quiz\.yml:12: question 'several': 'prompt' has unknown "
                                        r"language 'zh' \(known: en\)$"):
        load_bank(project)
