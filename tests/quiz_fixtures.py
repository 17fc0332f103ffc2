"""Shared by the quiz tests: a small project whose snippets have records, and its banks."""

from __future__ import annotations

import concurrent.futures
import textwrap
from pathlib import Path

import markdown

from helpers import OK_SNIPPET, Project
from execdoc import pipeline
from execdoc.quiz import Bank, resolve
from execdoc.records.library import Library

BOOM = """
# %% fine
x = 1
x

# %% boom tags=["raises-exception"]
1 / 0

# %% oops
y = 2
"""

# A generator without torch (the course's generators are tested in test_quiz_generators.py).
GEN = """
# %% setup
import json

# %% double
variants = [{"params": {"n": n}, "answer": 2 * n,
             "distractors": [{"value": n, "mistake": "forgot"}, {"value": 2 * n + 1, "mistake": "plus_one"}]}
            for n in (3, 4)]
print(json.dumps({"variants": variants}))

# %% shapes
print(json.dumps({"variants": [{"params": {"b": 8}, "answer": "(8, 16)",
                                "distractors": [{"value": "(16,)", "mistake": "no_batch"}]}]}))

# %% clash
print(json.dumps({"variants": [{"params": {}, "answer": 5, "distractors": [{"value": 5.0, "mistake": "same"}]}]}))

# %% not_json
print("variants: none")
"""


def make_project(root: Path) -> Project:
    """A project in Chinese and English with three executed snippets: tiny (values), boom (an
    error), gen (a generator).

    The engine runs in a thread of its own: it starts an event loop, and a Playwright
    session (its sync API) may already hold one in the test thread."""
    project = Project(root)
    project.options('languages = ["zh", "en"]')
    project.snippet("tiny", OK_SNIPPET)
    project.snippet("boom", BOOM)
    project.snippet("gen", GEN)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(pipeline.build, project.config).result().ok
    return project


def copy_project(template: Path, root: Path) -> Project:
    """A module's own copy of the executed project (conftest's ``quiz_template``): built once per run."""
    return Project.copy_of(template, root)


def write_bank(project: Project, text: str, rel: str = "t.quiz.yml") -> Path:
    path = project.root / "docs" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    return path


def load_bank(project: Project, rel: str = "t.quiz.yml") -> Bank:
    return resolve.load(project.root / "docs", rel, Library(root=project.root), project.root)


def md_for(project: Project) -> markdown.Markdown:
    """Pages as the site builds them: the snippet fence, the quiz fence, values, math."""
    return markdown.Markdown(extensions=["pymdownx.highlight", "execdoc.markdown"],
                             extension_configs={"execdoc.markdown": {"root": str(project.root)}})


# One question of every kind; the line numbers below are asserted by the tests.
BANK = """
title: {zh: 第一章, en: Chapter one}
questions:
  - id: pick
    type: single
    prompt: {zh: 选一个, en: Pick one}
    options:
      - text: {zh: 甲, en: A}
        correct: true
        feedback: {zh: 对, en: Right}
      - text: {zh: 乙, en: B}
        feedback: {zh: 错, en: Wrong}
    explanation: {zh: 因为甲, en: Because A}
  - id: several
    type: multi
    prompt: {zh: 选两个, en: Pick two}
    options:
      - {text: 一, correct: true, feedback: {zh: 对, en: yes}}
      - {text: 二, correct: true, feedback: {zh: 对, en: yes}}
      - {text: 三, feedback: {zh: 错, en: no}}
    explanation: {zh: 一和二, en: one and two}
  - id: half
    type: numeric
    prompt: {zh: 一半是多少, en: What is half}
    answer: .5
    tolerance: {abs: 0.01}
    unit: {zh: 个, en: units}
    mistakes:
      - answer: 2
        feedback: {zh: 那是两倍, en: That is double}
    explanation: {zh: 一除以二, en: One over two}
  - id: name
    type: text
    prompt: {zh: 叫什么, en: Its name}
    answers: {zh: [链式法则], en: [chain rule]}
    explanation: {zh: 链式法则, en: The chain rule}
  - id: shape
    type: output
    code: tiny.py#show
    value: tiny.shape
    prompt: {zh: 形状是什么, en: Which shape}
    explanation: {zh: 见记录, en: See the record}
  - id: printed
    type: output
    code: tiny.py#show
    prompt: {zh: 结果是什么, en: What is the result}
    explanation: {zh: 最后一个表达式, en: The last expression}
  - id: error
    type: output
    code: boom.py#boom
    raises: true
    prompt: {zh: 会怎样, en: What happens}
    explanation: {zh: 除以零, en: Division by zero}
  - id: doubled
    type: numeric
    generate: gen.py#double
    prompt: {zh: "{{ n }} 的两倍", en: "Twice {{ n }}"}
    feedback: {zh: 对, en: Right}
    mistakes:
      forgot: {zh: 没乘二, en: Not doubled}
      plus_one: {zh: 多加了一, en: One too many}
    explanation: {zh: "2 × {{ n }} = {{ answer }}，{{ tiny.answer }}", en: "2 × {{ n }} = {{ answer }}"}
"""

# A second chapter with one question.
SINGLE_BANK = """
title: {zh: 章, en: Chapter}
questions:
  - id: q
    type: single
    prompt: {zh: 问, en: Ask}
    options:
      - {text: 甲, correct: true, feedback: {zh: 对, en: right}}
      - {text: 乙, feedback: {zh: 错, en: wrong}}
    explanation: {zh: 因为, en: because}
"""
