"""``execdoc quiz export``: Moodle GIFT checked against the format's rules, and JSON."""

from __future__ import annotations

import json
import re

import pytest

from execdoc import cli
from execdoc.quiz import export as quizexport
from quiz_fixtures import BANK, copy_project, load_bank, write_bank

SPECIAL = "~=#{}:"


@pytest.fixture(scope="module")
def project(tmp_path_factory, quiz_template):
    project = copy_project(quiz_template, tmp_path_factory.mktemp("quizexport") / "proj")
    write_bank(project, BANK, "ch/quiz.yml")
    return project


def unescaped(text: str, chars: str = SPECIAL) -> list[str]:
    """Characters of ``chars`` in ``text`` not escaped by a backslash (a doubled backslash is literal)."""
    return [m.group(2) for m in re.finditer(r"((?:\\\\)*)([%s])" % re.escape(chars), text)
            if not (m.start() > 0 and text[m.start() - 1] == "\\" and _odd_backslashes(text, m.start()))]


def _odd_backslashes(text: str, end: int) -> bool:
    count = 0
    while end - count - 1 >= 0 and text[end - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def check_gift(document: str) -> int:
    """Assert every question follows GIFT's rules; return how many there are."""
    questions = 0
    for block in re.split(r"\n\s*\n", document.strip()):
        lines = [line for line in block.split("\n") if not line.startswith("//")]
        if not lines or lines[0].startswith("$CATEGORY:"):
            continue
        questions += 1
        text = "\n".join(lines)
        title = re.match(r"::((?:\\.|[^:\\])*)::\[markdown\]", text)
        assert title, text[:200]
        body = text[title.end():]
        opening = next(i for i, c in enumerate(body) if c == "{" and not _odd_backslashes(body, i))
        prompt, answers = body[:opening], body[opening:]
        assert "\n" not in prompt and "\n" not in title.group(1), "raw newline in question text"
        assert unescaped(prompt) == [] and unescaped(title.group(1)) == [], prompt
        assert answers.endswith("}") and unescaped(answers[1:-1], "{}") == [], answers
        inner = answers[1:-1]
        general = inner.split("####")
        assert len(general) == 2 and unescaped(general[1]) == []       # the explanation: all escaped
        items = general[0]
        if items.startswith("#"):                                       # numeric
            entries = [e.strip() for e in re.split(r"\n\t", items[1:]) if e.strip()]
            for entry in entries:
                assert re.fullmatch(r"(=(%-?\d+(\.\d+)?%)?)?-?[\d.e+-]+:[\d.e+-]+(#.*)?", entry), entry
                if "#" in entry:
                    assert unescaped(entry.split("#", 1)[1]) == []
        else:
            entries = [e.strip() for e in items.split("\n\t") if e.strip()]
            assert entries
            for entry in entries:
                marker = re.match(r"[=~](%-?\d+(\.\d+)?%)?", entry)
                assert marker, entry
                rest = entry[marker.end():]
                parts = [rest[:m.start()] for m in re.finditer("#", rest) if not _odd_backslashes(rest, m.start())]
                assert len(parts) <= 1, entry                           # at most one feedback separator
                answer, _, feedback = rest.partition(parts[0] + "#") if parts else (rest, "", "")
                assert unescaped(answer) == [] and unescaped(feedback) == [], entry
    return questions


def test_escape_follows_gift_rules():
    assert quizexport.escape("a~b=c#d{e}f:g\\h\nnew") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\nnew"
    assert unescaped(quizexport.escape("~=#{}: \\ \\~")) == []


def test_gift_of_a_bank_is_exact(project):
    document = quizexport.gift([load_bank(project, "ch/quiz.yml")], "en")
    questions = {q.id: q.hash for q in load_bank(project, "ch/quiz.yml").questions}
    code = '\\n\\n```python\\nprint(f"answer \\{answer\\}, ratio \\{ratio\\:.6f\\}")\\nshape \\= (8, 16, 15, 15)\\nanswer + 1\\n```'
    assert document == "\n".join([
        "// execdoc quiz export (GIFT). Generated from the banks and the snippet records; do not edit.",
        "\n$CATEGORY: $course$/top/Chapter one\n",
        f"// ch/quiz.yml {questions['pick']}\n::pick::[markdown]Pick one{{\n\t=A#Right\n\t~B#Wrong\n####Because A\n}}\n",
        f"// ch/quiz.yml {questions['several']}\n::several::[markdown]Pick two{{\n\t~%50%一#yes\n\t~%50%二#yes\n"
        "\t~%-100%三#no\n####one and two\n}\n",
        f"// ch/quiz.yml {questions['half']}\n::half::[markdown]What is half (units){{#\n\t=0.5:0.01\n"
        "\t=%0%2:0.01#That is double\n####One over two\n}\n",
        f"// ch/quiz.yml {questions['name']}\n::name::[markdown]Its name{{\n\t=chain rule\n\t=链式法则\n"
        "####The chain rule\n}\n",
        f"// ch/quiz.yml {questions['shape']}\n::shape::[markdown]Which shape{code}{{\n\t=(8, 16, 15, 15)\n"
        "\t=[8, 16, 15, 15]\n\t=8×16×15×15\n\t=8x16x15x15\n####See the record\n}\n",
        f"// ch/quiz.yml {questions['printed']}\n::printed::[markdown]What is the result{code}"
        "{#43:0####The last expression}\n",
        f"// ch/quiz.yml {questions['error']}\n::error::[markdown]What happens\\n\\n```python\\n1 / 0\\n```"
        "\\n\\n(If it raises, name the exception.){\n\t=ZeroDivisionError\n\t=raises an error\n\t=error\n"
        "####Division by zero\n}\n",
        f"// ch/quiz.yml {questions['doubled']}\n::doubled (1/2)::[markdown]Twice 3{{#\n\t=6:0#Right\n"
        "\t=%0%3:0#Not doubled\n\t=%0%7:0#One too many\n####2 × 3 \\= 6\n}\n",
        f"// ch/quiz.yml {questions['doubled']}\n::doubled (2/2)::[markdown]Twice 4{{#\n\t=8:0#Right\n"
        "\t=%0%4:0#Not doubled\n\t=%0%9:0#One too many\n####2 × 4 \\= 8\n}\n",
    ])
    assert check_gift(document) == 9    # one per variant


def test_numeric_tolerance_is_written_as_answer_colon_tolerance(project):
    write_bank(project, """
        title: {zh: 章, en: Chapter}
        questions:
          - id: absolute
            type: numeric
            prompt: {zh: 问, en: Ask}
            answer: 0.25
            tolerance: {abs: 0.001}
            explanation: {zh: 因为, en: because}
          - id: relative
            type: numeric
            prompt: {zh: 问, en: Ask}
            answer: 200
            tolerance: {rel: 0.05}
            explanation: {zh: 因为, en: because}
          - id: scientific
            type: numeric
            prompt: {zh: 问, en: Ask}
            answer: "3.15e23"
            tolerance: {rel: 0.02}
            explanation: {zh: 因为, en: because}
    """, "num.quiz.yml")
    document = quizexport.gift([load_bank(project, "num.quiz.yml")], "zh")
    assert re.findall(r"\{#[^}]*\}", document) == [
        "{#0.25:0.001####因为}", "{#200:10####因为}", "{#3.15e+23:6.3e+21####因为}"]
    assert check_gift(document) == 3


def test_special_characters_in_every_field_are_escaped(project):
    write_bank(project, """
        title: {zh: "章：一", en: "Chapter: one"}
        questions:
          - id: specials
            type: single
            prompt: {zh: "a~b=c#d{e}f:g \\\\ $x = {1}$", en: "same ~=#{}:"}
            options:
              - {text: "~=#{}:", correct: true, feedback: {zh: "#1 = {ok}: ~", en: ok}}
              - {text: "1:2", feedback: {zh: "a=b", en: no}}
            explanation: {zh: "{x} : y", en: "z"}
          - id: text
            type: text
            prompt: {zh: "问：", en: Ask}
            answers: ["a=b", "{c}"]
            mistakes:
              - {answer: "d#e", feedback: {zh: "f:g", en: h}}
            explanation: {zh: "~", en: "~"}
    """, "sp.quiz.yml")
    document = quizexport.gift([load_bank(project, "sp.quiz.yml")], "zh")
    assert check_gift(document) == 2
    assert "::specials::[markdown]a\\~b\\=c\\#d\\{e\\}f\\:g \\\\ \\\\(x \\= \\{1\\}\\\\)" in document  # $..$ -> \(..\)
    assert "\t=\\~\\=\\#\\{\\}\\:#\\#1 \\= \\{ok\\}\\: \\~" in document
    assert "\t=a\\=b\n\t=\\{c\\}\n\t=%0%d\\#e#f\\:g" in document


def test_cli_exports_json_with_hashes_and_every_variant(project, tmp_path, capsys):
    out = tmp_path / "banks.json"
    code = cli.main(["--root", str(project.root), "quiz", "export", "--format", "json", "--out", str(out),
                     "ch/quiz.yml"])
    assert code == 0
    assert "execdoc: wrote 1 banks, 9 questions with variants, to" in capsys.readouterr().err
    data = json.loads(out.read_text("utf-8"))
    assert data["format"] == "execdoc-quiz-banks" and [b["bank"] for b in data["banks"]] == ["ch/quiz.yml"]
    doubled = data["banks"][0]["questions"][-1]
    assert doubled["id"] == "doubled" and doubled["source"] == {"generate": "gen.py#double"}
    assert [v["answer"] for v in doubled["variants"]] == [6, 8]
    assert doubled["hash"] == load_bank(project, "ch/quiz.yml").questions[-1].hash
    assert doubled["variants"][0]["prompt"] == {"zh": "3 的两倍", "en": "Twice 3"}


def test_cli_exports_gift_to_stdout_and_reports_bad_banks(project, capsys):
    assert cli.main(["--root", str(project.root), "quiz", "export", "--format", "gift", "--lang", "en",
                     "ch/quiz.yml"]) == 0
    assert "::pick::[markdown]Pick one{" in capsys.readouterr().out
    write_bank(project, "title: {zh: 章, en: C}\nquestions: []\n", "broken.quiz.yml")
    assert cli.main(["--root", str(project.root), "quiz", "export", "--format", "gift", "broken.quiz.yml"]) == 2
    assert capsys.readouterr().err == ("execdoc: error: docs/broken.quiz.yml:2: 'questions' must be a non-empty "
                                       "list of questions\n")
