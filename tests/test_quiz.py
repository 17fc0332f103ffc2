"""The quiz stage and its fence: banks validated with file and line, answers from
records, HTML that carries no script, progress keys that follow content."""

from __future__ import annotations

import html
import json
import re

import pytest

from execdoc import ExecdocError
from execdoc.quiz import QuizError, html as quizrender, rules, safe
from execdoc.markdown import current_lang, current_page
from quiz_fixtures import BANK, copy_project, load_bank, md_for, write_bank


@pytest.fixture(scope="module")
def project(tmp_path_factory, quiz_template):
    return copy_project(quiz_template, tmp_path_factory.mktemp("quiz") / "proj")


@pytest.fixture
def own_project(tmp_path, quiz_template):
    """For a test that changes the project: a copy of its own, so no other test sees the change."""
    return copy_project(quiz_template, tmp_path / "proj")


@pytest.fixture
def bank(project):
    """Write a bank as docs/t.quiz.yml; return a loader."""
    def make(text):
        write_bank(project, text)
        return load_bank(project)
    return make


# --- resolution ---------------------------------------------------------------

def test_ok_bank_resolves_every_type_from_the_records(bank):
    loaded = bank(BANK)
    assert loaded.file == "docs/t.quiz.yml" and loaded.title == {"zh": "第一章", "en": "Chapter one"}
    by_id = {q.id: q for q in loaded.questions}
    assert [(q.id, q.type, q.line) for q in loaded.questions] == [
        ("pick", "single", 3), ("several", "multi", 13), ("half", "numeric", 21), ("name", "text", 31),
        ("shape", "output", 36), ("printed", "output", 42), ("error", "output", 47), ("doubled", "numeric", 53)]
    assert by_id["half"].variants[0].answer == 0.5           # `.5` in YAML
    assert by_id["half"].variants[0].mistakes[0]["answer"] == 2
    assert by_id["shape"].variants[0].answer == {"kind": "shape", "value": [8, 16, 15, 15], "display": "(8, 16, 15, 15)"}
    assert by_id["shape"].variants[0].code.startswith('print(f"answer {answer}')  # the cell's code is shown
    assert by_id["printed"].variants[0].answer == {"kind": "number", "value": 43, "display": "43",
                                                    "tolerance": {"abs": 0}}
    assert by_id["error"].variants[0].answer == {"kind": "raises", "value": "ZeroDivisionError",
                                                  "display": "ZeroDivisionError: division by zero"}
    doubled = by_id["doubled"]
    assert doubled.generated and doubled.source == {"generate": "gen.py#double"}
    assert [(v.prompt["en"], v.answer, [m["answer"] for m in v.mistakes]) for v in doubled.variants] == [
        ("Twice 3", 6, [3, 7]), ("Twice 4", 8, [4, 9])]
    assert doubled.variants[0].mistakes[1]["feedback"] == {"zh": "多加了一", "en": "One too many"}
    assert doubled.variants[1].explanation["zh"] == "2 × 4 = 8，42"   # a parameter, the answer, a snippet value


def test_generated_single_choice_options_are_answer_and_labelled_mistakes(bank):
    loaded = bank("""
        title: {zh: 章, en: Chapter}
        questions:
          - id: shape
            type: single
            generate: gen.py#shapes
            prompt: {zh: "批大小 {{ b }}", en: "Batch {{ b }}"}
            feedback: {zh: 对, en: Right}
            mistakes:
              no_batch: {zh: 丢了批维度, en: Batch dropped}
            explanation: {zh: 解释, en: Why}
    """)
    (variant,) = loaded.questions[0].variants
    assert sorted((o["text"]["en"], o["correct"], o["feedback"]["en"]) for o in variant.options) == [
        ("`(16,)`", False, "Batch dropped"), ("`(8, 16)`", True, "Right")]


def test_content_hash_follows_the_question_not_its_position(project, bank):
    before = {q.id: q.hash for q in bank(BANK).questions}
    edited = BANK.replace("{zh: 一半是多少, en: What is half}", "{zh: 一半是多少？, en: What is one half}")
    moved = edited.replace("title: {zh: 第一章, en: Chapter one}", "title: {zh: 第一章, en: Chapter one}\n# a comment\n")
    after = {q.id: q.hash for q in bank(moved).questions}
    assert [qid for qid in before if before[qid] != after[qid]] == ["half"]
    assert all(re.fullmatch(r"[0-9a-f]{12}", h) for h in after.values())


def test_text_answers_and_numbers_are_normalised_like_the_widget():
    assert rules.normalise_text("  Chain   RULE. ") == "chain rule"
    assert rules.normalise_text("“异或”。") == "异或"
    assert [rules.parse_number(s) for s in ("0.5", ".5", "5e-1", "1,347", "−2", "abc", "")] == [
        0.5, 0.5, 0.5, 1347, -2, None, None]
    assert rules.expected_output("torch.Size([8, 16, 15, 15])")["value"] == [8, 16, 15, 15]
    assert rules.expected_output("0.7311") == {"kind": "number", "value": 0.7311, "display": "0.7311",
                                              "tolerance": {"abs": pytest.approx(5e-5)}}
    assert rules.expected_output("Hello  World")["kind"] == "text"


# --- validation: one failing bank per rule, exact message and line -------------

HEAD = """\
title: {zh: 章, en: Chapter}
questions:
  - id: q
"""
SINGLE = HEAD + """\
    type: single
    prompt: {zh: 问, en: Ask}
    options:
      - {text: 甲, correct: true, feedback: {zh: 对, en: right}}
      - {text: 乙, feedback: {zh: 错, en: wrong}}
    explanation: {zh: 因为, en: because}
"""
NUMERIC = HEAD + """\
    type: numeric
    prompt: {zh: 问, en: Ask}
    explanation: {zh: 因为, en: because}
"""
OUTPUT = HEAD + """\
    type: output
    prompt: {zh: 问, en: Ask}
    explanation: {zh: 因为, en: because}
"""
GENERATED = HEAD + """\
    type: numeric
    generate: gen.py#double
    prompt: {zh: "{{ n }} 的两倍", en: "Twice {{ n }}"}
    feedback: {zh: 对, en: Right}
    mistakes:
      forgot: {zh: 没乘二, en: Not doubled}
      plus_one: {zh: 多加了一, en: One too many}
    explanation: {zh: 解释, en: Why}
"""
F = "docs/t.quiz.yml"

CASES = {
    "yaml_syntax": (HEAD + "    type: [single\n", f"{F}:5: not valid YAML: expected ',' or ']', but got '<stream end>'"),
    "not_a_mapping": ("- just\n- a list\n", f"{F}:1: a bank is a mapping with 'title' and 'questions'"),
    "unknown_bank_key": ("chapter: 1\n" + SINGLE, f"{F}:1: unknown key 'chapter' (known: questions, title)"),
    "missing_questions": ("title: {zh: 章, en: Chapter}\n", f"{F}:1: missing 'questions'"),
    "duplicate_key": (SINGLE.replace("    type: single\n", "    type: single\n    type: multi\n"),
                      f"{F}:5: key 'type' appears twice in one mapping (first on line 4)"),
    "unknown_question_key": (SINGLE + "    hint: look closely\n",
                             f"{F}:10: question 'q': unknown key 'hint' (known: explanation, id, options, prompt, type)"),
    "bad_id": (SINGLE.replace("id: q", "id: Q 1"),
               f"{F}:3: question 1: id 'Q 1' must be lower-case letters, digits, '-' or '_'"),
    "duplicate_id": (SINGLE + SINGLE[SINGLE.index("  - id: q"):], f"{F}:10: duplicate id 'q' (first used on line 3)"),
    "unknown_type": (SINGLE.replace("type: single", "type: essay"),
                     f"{F}:4: question 'q': type 'essay' is not one of single, multi, numeric, text, output"),
    "missing_language": (SINGLE.replace("{zh: 问, en: Ask}", "{zh: 问}"), f"{F}:5: question 'q': 'prompt' has no 'en' text"),
    "unknown_language": (SINGLE.replace("{zh: 问, en: Ask}", "{zh: 问, en: Ask, fr: Demande}"),
                         f"{F}:5: question 'q': 'prompt' has unknown language 'fr' (known: zh, en)"),
    "missing_explanation": (SINGLE.replace("    explanation: {zh: 因为, en: because}\n", ""),
                            f"{F}:3: question 'q': missing 'explanation'"),
    "missing_option_feedback": (SINGLE.replace("{text: 乙, feedback: {zh: 错, en: wrong}}", "{text: 乙}"),
                                f"{F}:8: question 'q': option 2: missing 'feedback'"),
    "single_two_correct": (SINGLE.replace("{text: 乙,", "{text: 乙, correct: true,"),
                           f"{F}:6: question 'q': a single-choice question needs exactly one correct option, "
                           "found 2 (options 1, 2)"),
    "single_none_correct": (SINGLE.replace("correct: true, ", ""),
                            f"{F}:6: question 'q': a single-choice question needs exactly one correct option, found 0"),
    "multi_none_correct": (SINGLE.replace("type: single", "type: multi").replace("correct: true, ", ""),
                           f"{F}:6: question 'q': a multiple-choice question needs at least one correct option"),
    "options_render_same": (SINGLE.replace("{text: 乙,", "{text: '甲 ',"),
                            f"{F}:8: question 'q': options 1 and 2 render the same in zh: '甲 '"),
    "value_does_not_exist": (NUMERIC + "    value: tiny.nope\n",
                             f"{F}:7: question 'q': value 'tiny.nope': tiny.py recorded no value 'nope' "
                             "(values: _cells, _lines, _seconds, answer, ratio, shape)"),
    "value_in_text_does_not_exist": (SINGLE.replace("{zh: 问, en: Ask}", "{zh: '{{ tiny.nope }}', en: Ask}"),
                                     f"{F}:5: question 'q': '{{{{ tiny.nope }}}}' in 'prompt': tiny.py recorded no "
                                     "value 'nope' (values: _cells, _lines, _seconds, answer, ratio, shape)"),
    "no_such_snippet": (OUTPUT + "    code: nosuch.py#a\n",
                        f"{F}:7: question 'q': no snippet 'nosuch' (snippets/nosuch.py does not exist)"),
    "no_such_cell": (OUTPUT + "    code: tiny.py#nope\n", f"{F}:7: question 'q': tiny.py has no cell 'nope' (cells: setup, show)"),
    "output_raises_unexpectedly": (OUTPUT + "    code: boom.py#boom\n",
                                   f"{F}:7: question 'q': boom.py#boom raised ZeroDivisionError: division by zero; "
                                   "add 'raises: true' if the reader should predict the error"),
    "output_expected_to_raise": (OUTPUT + "    code: tiny.py#show\n    raises: true\n",
                                 f"{F}:8: question 'q': 'raises: true' but tiny.py#show raised nothing"),
    "output_prints_nothing": (OUTPUT + "    code: boom.py#oops\n", f"{F}:7: question 'q': boom.py#oops printed nothing to predict"),
    "numeric_not_a_number": (NUMERIC + "    answer: half\n", f"{F}:7: question 'q': 'answer' must be a number, got 'half'"),
    "numeric_not_finite": (NUMERIC + "    answer: .nan\n    tolerance: {abs: 0.1}\n",
                           f"{F}:7: question 'q': 'answer' must be a finite number, got nan"),
    "numeric_infinite": (NUMERIC + "    answer: .inf\n    tolerance: {abs: 0.1}\n",
                         f"{F}:7: question 'q': 'answer' must be a finite number, got inf"),
    "tolerance_not_finite": (NUMERIC + "    answer: 1\n    tolerance: {abs: .inf}\n",
                             f"{F}:8: question 'q': 'tolerance' must be {{abs: number}} or {{rel: number}} "
                             "(or both), not negative"),
    "numeric_needs_tolerance": (NUMERIC + "    answer: 0.25\n",
                                f"{F}:3: question 'q': a non-integer answer (0.25) needs a 'tolerance' (abs or rel)"),
    "bad_tolerance": (NUMERIC + "    answer: 1\n    tolerance: 5%\n",
                      f"{F}:8: question 'q': 'tolerance' must be {{abs: number}} or {{rel: number}} (or both), not negative"),
    "mistake_is_the_answer": (NUMERIC + "    answer: 1\n    tolerance: {abs: 0.1}\n    mistakes:\n"
                              "      - {answer: 1.05, feedback: {zh: 近了, en: close}}\n",
                              f"{F}:10: question 'q': mistake 1 (1.05) is accepted as the answer"),
    "text_without_answers": (HEAD + "    type: text\n    prompt: {zh: 问, en: Ask}\n    answers: []\n"
                             "    explanation: {zh: 因为, en: because}\n",
                             f"{F}:6: question 'q': 'answers' must be a non-empty list of accepted answers, "
                             "or {zh: [...], en: [...]}"),
    "generator_mistake_not_explained": (GENERATED.replace("      plus_one: {zh: 多加了一, en: One too many}\n", ""),
                                        f"{F}:5: question 'q': gen.py#double variant 1 has mistake 'plus_one', which "
                                        "'mistakes' does not explain (explained: forgot)"),
    "generator_mistake_never_produced": (GENERATED.replace("    explanation", "      typo: {zh: 错字, en: Typo}\n    explanation"),
                                         f"{F}:8: question 'q': mistake 'typo' is never produced by gen.py#double"),
    "generator_unknown_parameter": (GENERATED.replace('"Twice {{ n }}"', '"Twice {{ m }}"'),
                                    f"{F}:6: question 'q': '{{{{ m }}}}' in 'prompt' is not a parameter "
                                    "(parameters of gen.py#double: answer, n)"),
    "generator_printed_no_json": (GENERATED.replace("gen.py#double", "gen.py#not_json"),
                                  f"{F}:5: question 'q': gen.py#not_json did not print JSON variants "
                                  "(JSONDecodeError: Expecting value: line 1 column 1 (char 0))"),
    "generator_mistake_equals_answer": (GENERATED.replace("gen.py#double", "gen.py#clash").replace(
                                            "      forgot: {zh: 没乘二, en: Not doubled}\n      plus_one: {zh: 多加了一, en: One too many}",
                                            "      same: {zh: 一样, en: Same}").replace("{{ n }}", "x"),
                                        f"{F}:5: question 'q': variant 1: a mistake gives 5.0, which is accepted as "
                                        "the answer 5"),
    "generate_with_multi": (GENERATED.replace("type: numeric", "type: multi"),
                            f"{F}:5: question 'q': 'generate' works with single and numeric questions, not multi"),
}


@pytest.mark.parametrize("scenario", list(CASES))
def test_invalid_bank_fails_with_file_line_and_reason(bank, scenario):
    text, message = CASES[scenario]
    with pytest.raises(QuizError) as info:
        bank(text)
    assert str(info.value) == message


def test_stale_record_fails_the_bank(own_project):
    path = own_project.root / "snippets" / "tiny.py"
    path.write_text(path.read_text().replace("6 * 7", "6 * 9"))
    write_bank(own_project, BANK)
    with pytest.raises(QuizError, match=r"^docs/t\.quiz\.yml:38: question 'shape': tiny\.py: record is "
                                             r"stale: .*; run `execdoc build`$"):
        load_bank(own_project)


def test_missing_bank_is_named(project):
    with pytest.raises(QuizError, match=r"^docs/nope\.yml: no such question bank$"):
        load_bank(project, "nope.yml")


# --- HTML ------------------------------------------------------------------------

def render(project, text, lang="zh"):
    write_bank(project, text)
    return quizrender.render_bank(load_bank(project), lang)


def test_single_choice_renders_native_controls_with_hidden_feedback_and_key(project):
    out = render(project, SINGLE)
    question = re.search(r'<li class="quiz-q".*?</li>', out).group(0)
    qhash = load_bank(project).questions[0].hash
    assert question == (
        f'<li class="quiz-q" id="q-t-quiz-q" data-key="t.quiz.yml#q" data-hash="{qhash}" data-type="single" '
        'data-chapter="章"><form class="quiz-form" novalidate><div class="quiz-v" data-v="0">'
        '<div class="quiz-prompt" id="q-t-quiz-q-v0-p"><p>问</p></div>'
        '<fieldset class="quiz-choices" aria-labelledby="q-t-quiz-q-v0-p">'
        '<label class="quiz-opt"><input type="radio" name="q-t-quiz-q-v0" value="0"> <span>甲</span></label>'
        '<label class="quiz-opt"><input type="radio" name="q-t-quiz-q-v0" value="1"> <span>乙</span></label>'
        '</fieldset><div class="quiz-fbs" hidden><div data-fb="o0"><p>对</p></div><div data-fb="o1"><p>错</p></div>'
        '<div data-fb="explain"><p>因为</p></div></div></div><div class="quiz-feedback" tabindex="-1" hidden></div>'
        '<div class="quiz-actions"><button type="submit" class="quiz-check" data-ui="check">检查答案</button> '
        '<button type="button" class="quiz-retry" data-ui="retry" hidden>再试一次</button></div></form>'
        '<script type="application/json" class="quiz-key">{"type":"single","v":[{"c":[0]}]}</script></li>')
    assert out.startswith('<section class="execdoc-quiz" data-bank="t.quiz.yml" aria-label="章"><div class="quiz-bar">'
                          '<p class="quiz-score">共 1 题</p>')
    assert '<p class="quiz-live" role="status" aria-live="polite"></p>' in out


def test_english_page_gets_english_text_and_labels(project):
    out = render(project, BANK, "en")
    assert "<p>Pick one</p>" in out and ">Check answer</button>" in out and ">Your answer</label>" in out
    assert "选一个" not in out


def test_every_type_renders_with_its_answer_key(project):
    out = render(project, BANK)
    keys = [json.loads(k) for k in re.findall(r'<script type="application/json" class="quiz-key">(.*?)</script>', out)]
    assert keys == [
        {"type": "single", "v": [{"c": [0]}]},
        {"type": "multi", "v": [{"c": [0, 1]}]},
        {"type": "numeric", "v": [{"a": 0.5, "t": {"abs": 0.01}, "m": [2]}]},
        {"type": "text", "v": [{"a": ["chain rule", "链式法则"], "m": []}]},
        {"type": "output", "v": [{"k": "shape", "a": [8, 16, 15, 15], "t": {}}]},
        {"type": "output", "v": [{"k": "number", "a": 43, "t": {"abs": 0}}]},
        {"type": "output", "v": [{"k": "raises", "a": "ZeroDivisionError", "t": {}}]},
        {"type": "numeric", "v": [{"a": 6, "t": {}, "m": [3, 7]}, {"a": 8, "t": {}, "m": [4, 9]}]},
    ]
    assert '<input type="checkbox" name="q-t-quiz-several-v0" value="0">' in out
    assert ('<input id="q-t-quiz-half-v0-in" type="text" autocomplete="off" spellcheck="false" inputmode="decimal"> '
            '<span class="quiz-unit">个</span>') in out
    assert '<input type="checkbox" name="q-t-quiz-error-v0-raises"> <span data-ui="raises">会抛出异常</span>' in out
    assert '<div data-fb="answer"><code>0.5</code> 个</div>' in out
    assert '<div data-fb="answer">抛出 <code>ZeroDivisionError: division by zero</code></div>' in out
    assert '<div class="quiz-v" data-v="1" hidden>' in out            # the second generated variant
    shown = html.unescape(re.sub(r"<[^>]+>", "", out.split('id="q-t-quiz-printed-v0-p"')[1].split("</div>")[0]))
    assert 'print(f"answer {answer}, ratio {ratio:.6f}")' in shown    # output questions show the cell's code


# --- security ---------------------------------------------------------------------

HOSTILE = HEAD + """\
    type: text
    prompt:
      zh: '<script>alert(1)</script> <img src=x onerror=alert(2)> [link](javascript:alert(3)) $\\text{<img src=y onerror=alert(4)>}$'
      en: '<div onclick="alert(5)">click</div>'
    answers: ['</script><script>alert(6)</script>']
    mistakes:
      - answer: '<b onmouseover=alert(7)>x</b>'
        feedback: {zh: '<iframe src="javascript:alert(8)"></iframe>', en: ok}
    explanation: {zh: '<svg onload=alert(9)>', en: ok}
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_bank_text_is_shown_as_text_never_run(project, lang):
    out = render(project, HOSTILE, lang)
    tags = re.findall(r"<([a-zA-Z][\w-]*)([^>]*)>", out)
    assert {name for name, _ in tags} <= safe.SAFE_TAGS | {
        "section", "ol", "li", "form", "fieldset", "label", "input", "button", "script", "noscript"}
    assert not [attrs for _, attrs in tags if re.search(r"\son\w+\s*=|javascript:", attrs, re.I)]
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", out, re.S)
    # Only JSON, which cannot close its element: the answer key and the page language's words.
    assert [attrs for attrs, _ in scripts] == [' type="application/json" class="quiz-key"',
                                               ' type="application/json" class="quiz-ui"']
    assert not [body for _, body in scripts if "<" in body]
    assert json.loads(scripts[0][1])["v"][0]["a"] == ["</script><script>alert(6)</script>"]
    if lang == "zh":
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;" in out
        assert "<mtext>&lt;img" in out                              # inside math, too
        assert '<a>link</a>' in out                                 # the javascript: link lost its href
        assert '&lt;iframe src="javascript:alert(8)"&gt;&lt;/iframe&gt;' in out
    else:
        assert '&lt;div onclick="alert(5)"&gt;click&lt;/div&gt;' in out


def test_embedded_json_escapes_everything_that_could_end_the_script():
    text = safe.embed_json({"a": "</script><!-- & \u2028"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}'
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


# --- the fence ----------------------------------------------------------------------

def without_assets(out: str) -> str:
    """A converted page without the stylesheet and script the extension puts inline."""
    return re.sub(r'^<style data-execdoc="">.*?</style>\n?|\n?<script data-execdoc="">.*?</script>$', "", out, flags=re.S)


def test_fence_renders_a_bank_relative_to_docs(project):
    write_bank(project, BANK, "ch/quiz.yml")
    out = without_assets(md_for(project).convert("# Quiz\n\n```quiz\nch/quiz.yml\n```\n"))
    assert out.startswith('<h1>Quiz</h1>\n<section class="execdoc-quiz" data-bank="ch/quiz.yml" aria-label="第一章">')
    assert out.count('<li class="quiz-q"') == 8


def test_review_fence_holds_every_bank(own_project):
    write_bank(own_project, BANK, "ch/quiz.yml")
    write_bank(own_project, SINGLE, "other.quiz.yml")
    out = without_assets(md_for(own_project).convert('```quiz mode="review"\n```\n'))
    assert out.startswith('<section class="execdoc-quiz quiz-review" data-review data-search-exclude aria-label="复习">')
    assert re.findall(r'data-key="([^"]+)"', out) == [
        "ch/quiz.yml#pick", "ch/quiz.yml#several", "ch/quiz.yml#half", "ch/quiz.yml#name", "ch/quiz.yml#shape",
        "ch/quiz.yml#printed", "ch/quiz.yml#error", "ch/quiz.yml#doubled", "other.quiz.yml#q"]
    assert '<button type="button" class="quiz-export" data-ui="export">导出进度</button>' in out


def test_fence_language_follows_the_page(project):
    write_bank(project, BANK, "ch/quiz.yml")
    token = current_lang.set("en")
    try:
        out = md_for(project).convert("```quiz\nch/quiz.yml\n```\n")
    finally:
        current_lang.reset(token)
    assert 'aria-label="Chapter one"' in out and "<p>Pick one</p>" in out


@pytest.mark.parametrize("source, message", [
    ("```quiz\nch/nope.yml\n```", "docs/x.md: quiz 'ch/nope.yml': docs/ch/nope.yml: no such question bank"),
    ("```quiz colour=\"red\"\nch/quiz.yml\n```",
     "docs/x.md: quiz 'ch/quiz.yml': unknown option(s) colour (known: mode)"),
    ("```quiz\na.yml b.yml\n```", "docs/x.md: quiz 'a.yml b.yml': name one bank, relative to docs/, e.g. chapter/quiz.yml"),
    ("```quiz mode=\"exam\"\nch/quiz.yml\n```", 'docs/x.md: quiz \'ch/quiz.yml\': mode="exam" is not one of chapter, review'),
    ("```quiz\nch/bad.yml\n```", "docs/x.md: quiz 'ch/bad.yml': docs/ch/bad.yml:10: duplicate id 'q' (first used on line 3)"),
])
def test_fence_errors_name_page_bank_and_line(project, source, message):
    write_bank(project, BANK, "ch/quiz.yml")
    write_bank(project, SINGLE + SINGLE[SINGLE.index("  - id: q"):], "ch/bad.yml")
    token = current_page.set("docs/x.md")
    try:
        with pytest.raises(ExecdocError) as info:
            md_for(project).convert(source)
    finally:
        current_page.reset(token)
    assert str(info.value) == message
