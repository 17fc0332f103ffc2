"""The course's own rules, checked over the pages and the snippets (no build, no kernel):

- every chapter page ends its teaching with an exercise section (练习 / Exercises) of 3-6
  items, one of which changes a snippet and runs it, with a hint and a folded worked answer
  that shows an exercise snippet's recorded run;
- a page never shows a cell that uses a name defined in a cell it shows later, and the
  code pages show data, model, loss, training and evaluation in that order;
- a shown cell is short (one idea): at most MAX_LINES non-blank lines, except the seed's
  listings, which are shown verbatim;
- figures carry no words (one PNG serves both languages; the caption says what it shows);
- one spelling per term, one quotation style per language.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
import yaml

from execdoc.snippets.parse import parse_text

REPO = Path(__file__).resolve().parents[1]
DOCS, SNIPPETS = REPO / "docs", REPO / "snippets"
MAX_LINES = 18  # "about 15 lines"; a cell over this does more than one thing
# The seed's code as published, and its GAN listing with only the missing names filled in.
VERBATIM = {"cnn_keras.py#listing", "lstm_keras.py#listing", "gan_seed.py#seed_listing", "gan_seed.py#names_filled"}
NOT_CHAPTERS = ("quiz", "review", "performance", "about", "notation", "glossary")
FENCE = re.compile(r"^(?P<indent>[ \t]*)```snippet(?P<options>[^\n]*)\n(?P=indent)(?P<ref>[\w-]+\.py(?:#[\w-]+)?)[ \t]*\n",
                   re.M)
EXERCISES = {"zh": ("## 练习 { #exercises }", '??? tip "提示"', '??? success "参考答案"'),
             "en": ("## Exercises { #exercises }", '??? tip "Hint"', '??? success "Worked answer"')}


def nav_pages() -> list[str]:
    """The Chinese pages in the navigation, in order (the English ones sit beside them)."""
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    nav = text[text.index("\nnav:"):]
    return [p for p in re.findall(r":\s*(\S+\.md)\s*$", nav, re.M)]


CHAPTERS = [p for p in nav_pages() if not any(part in p for part in NOT_CHAPTERS)]
CODE_PAGES = [p for p in CHAPTERS if p.startswith("code/") or p.endswith("/code.md")]


def page_text(page: str, lang: str) -> str:
    path = DOCS / (page if lang == "zh" else page.removesuffix(".md") + ".en.md")
    return path.read_text("utf-8")


def snippet_cells(name: str):
    return parse_text(SNIPPETS / f"{name}.py", (SNIPPETS / f"{name}.py").read_text("utf-8"))[1]


def shown_cells(text: str) -> list[tuple[str, object]]:
    """The code cells a page shows, in page order: (reference, cell)."""
    out = []
    for m in FENCE.finditer(text):
        if 'show="output"' in m["options"]:
            continue
        name, _, title = m["ref"].partition("#")
        cells = snippet_cells(name.removesuffix(".py"))
        for cell in cells if not title else [c for c in cells if c.title == title]:
            out.append((f"{name}#{cell.title}", cell))
    return out


def test_the_rules_see_the_course():
    assert len(CHAPTERS) >= 18 and len(CODE_PAGES) >= 4, (CHAPTERS, CODE_PAGES)


# --- exercises ---------------------------------------------------------------------------------

def exercise_section(text: str, heading: str) -> str | None:
    if heading not in text:
        return None
    section = text[text.index(heading) + len(heading):]
    return re.split(r"^## ", section, maxsplit=1, flags=re.M)[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_page_ends_with_exercises_one_of_them_run(page, lang):
    heading, tip, answer = EXERCISES[lang]
    section = exercise_section(page_text(page, lang), heading)
    assert section is not None, f"{page} ({lang}): no '{heading}'"
    items = re.findall(r"^(\d+)\. ", section, re.M)
    assert 3 <= len(items) <= 6 and items == [str(n) for n in range(1, len(items) + 1)], (page, lang, items)
    assert tip in section and answer in section, (page, lang)
    worked = section[section.index(answer):]
    refs = [m["ref"] for m in FENCE.finditer(worked)]
    assert any(r.startswith("exercise_") for r in refs), (page, lang, refs)
    for ref in refs:
        name = ref.split(".py")[0]
        assert (DOCS / "notebooks" / f"{name}.ipynb").exists(), f"{page}: {ref} has no record"


# --- order, forward references, cell length ---------------------------------------------------

def tree(source: str) -> ast.AST:
    try:
        return ast.parse(source)
    except SyntaxError:  # the seed's listing that cannot run, shown as it was published
        return ast.Module(body=[], type_ignores=[])


def defined(source: str) -> set[str]:
    names = set()
    for node in ast.walk(tree(source)):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def used(source: str) -> set[str]:
    return {n.id for n in ast.walk(tree(source)) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def forward_references(text: str) -> list[str]:
    """Names a shown cell uses that only a cell shown later defines. What it may use: what the
    cells shown so far define, and what cells the page never shows define before it runs."""
    shown = shown_cells(text)
    on_page = {(ref.split(".py")[0], cell.index) for ref, cell in shown}
    bad = []
    for i, (ref, cell) in enumerate(shown):
        name = ref.split(".py")[0]
        same = [(r, c) for r, c in shown if r.split(".py")[0] == name]
        hidden = [c for c in snippet_cells(name) if c.index < cell.index and (name, c.index) not in on_page]
        avail = set().union(*(defined(c.source) for r, c in shown[:i + 1] if r.split(".py")[0] == name),
                            *(defined(c.source) for c in hidden))
        for later_ref, later in same[[r for r, _ in same].index(ref) + 1:]:
            late = (used(cell.source) & defined(later.source)) - avail
            bad += [f"{ref} uses {n}, defined in {later_ref} shown later" for n in sorted(late)]
            avail |= late
    return bad


@pytest.mark.parametrize("page", CHAPTERS)
def test_no_shown_cell_uses_a_name_from_a_cell_shown_later(page):
    assert forward_references(page_text(page, "zh")) == []


STAGES = ["data", "model", "loss", "train", "evaluate"]


@pytest.mark.parametrize("page", CODE_PAGES)
def test_code_pages_go_data_model_loss_training_evaluation(page):
    order = []
    for ref, _ in shown_cells(page_text(page, "zh")):
        title = ref.split("#")[1]
        stage = next((s for s in STAGES if title == s or title.startswith(s + "_") or title.startswith(s + "-")), None)
        if stage and (ref.split("#")[0], stage) not in order:
            order.append((ref.split("#")[0], stage))
    for snippet in {s for s, _ in order}:
        stages = [STAGES.index(stage) for s, stage in order if s == snippet]
        assert stages == sorted(stages), f"{page}: {snippet} shows {[STAGES[i] for i in stages]}"
    assert any(stage == "data" for _, stage in order), f"{page}: no data cell shown"


@pytest.mark.parametrize("page", CHAPTERS)
def test_shown_cells_are_short(page):
    long = [f"{ref}: {n} lines" for ref, cell in shown_cells(page_text(page, "zh"))
            if ref not in VERBATIM and (n := sum(1 for line in cell.source.splitlines() if line.strip())) > MAX_LINES]
    assert long == []


def test_the_rules_catch_a_forward_reference_and_a_long_cell(tmp_path, monkeypatch):
    (tmp_path / "demo.py").write_text("# %% data\nx = 1\n\n# %% model\ny = x + z\n\n# %% late\nz = 2\n"
                                      "\n# %% long\n" + "w = 1\n" * (MAX_LINES + 1), "utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SNIPPETS", tmp_path)
    page = "```snippet\ndemo.py#model\n```\n\n```snippet\ndemo.py#late\n```\n"
    assert forward_references(page) == ["demo.py#model uses z, defined in demo.py#late shown later"]
    assert forward_references("```snippet\ndemo.py#late\n```\n\n```snippet\ndemo.py#model\n```\n") == []
    assert [len(c.source.splitlines()) for _, c in shown_cells("```snippet\ndemo.py#long\n```\n")] == [MAX_LINES + 1]


# --- figures without words ---------------------------------------------------------------------

NAMES = {"ReLU", "tanh", "sigmoid", "Adam", "SGD", "RMSprop", "AdamW", "MLP", "CNN", "LSTM", "GAN", "VAE", "KL",
         "JSD", "RNN", "GRU", "MSE", "Sobel", "softmax", "Keras", "PyTorch", "NumPy", "Momentum", "AdaGrad",
         "Adagrad", "GELU", "ELU", "Leaky", "LeakyReLU", "BatchNorm", "Dropout", "SiLU", "Swish", "max", "min",
         "log", "exp", "sin", "cos", "argmax", "sign", "mean", "std", "var"}
TEXT_CALLS = {"set_title", "set_xlabel", "set_ylabel", "suptitle", "title", "xlabel", "ylabel", "text",
              "annotate", "set_xticklabels", "set_yticklabels", "legend", "set"}
TEXT_KEYWORDS = {"label", "title", "xlabel", "ylabel"}


def words_in(value: str) -> list[str]:
    prose = re.sub(r"\$[^$]*\$", " ", value)  # math is language-neutral
    return [w for w in re.findall(r"[A-Za-z]{3,}", prose) if w not in NAMES]


def shown_strings(node: ast.AST) -> list[str]:
    """The string constants an expression can show: not those it only compares with."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, ast.Compare):
        return []
    return [text for child in ast.iter_child_nodes(node) for text in shown_strings(child)]


def figure_words(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        strings = []
        if name in TEXT_CALLS:
            strings += [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            strings += [a.elts for a in node.args if isinstance(a, (ast.List, ast.Tuple))]
        strings += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        flat = []
        for s in strings:
            flat += s if isinstance(s, list) else [s]
        for s in flat:
            found += [f"line {node.lineno}: {w}" for text in shown_strings(s) for w in words_in(text)]
    return found


PLOTTING = sorted(p.stem for p in SNIPPETS.glob("*.py") if "plt." in p.read_text("utf-8")
                  and not p.stem.endswith("_keras") and p.stem != "gan_seed")


@pytest.mark.parametrize("name", PLOTTING)
def test_figures_carry_no_words(name):
    assert figure_words((SNIPPETS / f"{name}.py").read_text("utf-8")) == []


def test_figure_words_are_found():
    assert figure_words('ax.set(title="Training loss", xlabel=r"$t$")\nplt.legend(["train", "$x$"])\n'
                        'ax.plot(h, label="$a$" if kind == "saturating" else f"{kind} run")') == [
        "line 1: Training", "line 1: loss", "line 2: train", "line 3: run"]


# --- one term, one quotation style -------------------------------------------------------------

VARIANTS = {"不饱和": "非饱和", "权重共享": "权值共享", "模式坍塌": "模式崩溃", "潜在空间": "隐空间", "潜空间": "隐空间",
            "批量大小": "批大小"}


def prose(text: str) -> str:
    """Markdown without code, math, fence and admonition headers, HTML tags, references and attributes."""
    text = re.sub(r"^([ \t]*)(```|~~~)[^\n]*\n.*?^\1\2[ \t]*$", "", text, flags=re.M | re.S)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$|`[^`\n]+`|\{\{.*?\}\}|\{[:#.][^}]*\}|<[^>\n]+>", " ", text, flags=re.S)
    return re.sub(r"^[ \t]*(!!!|\?\?\?\+?|===)[^\n]*$", "", text, flags=re.M)


def chinese_files() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".en.md"))


def test_one_spelling_per_term():
    files = chinese_files() + sorted(DOCS.rglob("*.yml")) + sorted(SNIPPETS.glob("*.py"))  # captions and prose cells
    found = [f"{p.relative_to(REPO)}: {v} (write {c})" for p in files for v, c in VARIANTS.items() if v in p.read_text("utf-8")]
    assert found == []


def bank_prose(bank: Path, lang: str) -> list[str]:
    out = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == lang and isinstance(v, str):
                    out.append(v)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(yaml.safe_load(bank.read_text("utf-8")))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_quotation_style_per_language(lang):
    files = [p for p in DOCS.rglob("*.md") if p.name.endswith(".en.md") == (lang == "en")]
    texts = [(p.relative_to(DOCS).as_posix(), p.read_text("utf-8")) for p in sorted(files)]
    texts += [(f"{b.relative_to(DOCS)} ({lang})", t) for b in sorted(DOCS.rglob("*.yml")) for t in bank_prose(b, lang)]
    found = [f"{where}: {line.strip()}" for where, text in texts for line in text.splitlines()
             if re.match(r"^[ \t]*(!!!|\?\?\?\+?|===)[ \t]*[\w-]*[ \t]*“", line)  # curled syntax no longer parses
             or re.search(r"<[^>\n]*[“”][^>\n]*>", line)]  # nor does a curled HTML attribute
    for where, text in texts:
        for line in prose(text).splitlines():
            if '"' in line or "「" in line or "」" in line:
                found.append(f"{where}: {line.strip()[:80]}")
    assert found == []
