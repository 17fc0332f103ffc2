"""What execdoc takes from the site's own configuration: docs folder and language."""

from __future__ import annotations

import pytest

from execdoc import ExecdocError, config as config_mod


@pytest.mark.parametrize("site, docs, languages", [
    ("site_name: t\ntheme: {name: material, language: zh}\n", "docs", ("zh",)),
    ("site_name: t\ndocs_dir: pages\ntheme: {name: mkdocs, locale: zh_CN}\n", "pages", ("zh",)),
    ("site_name: t\ntheme: readthedocs\n", "docs", ("en",)),
    ("site_name: t\nplugins:\n  - execdoc:\n      execute: !ENV [X, true]\nmarkdown_extensions:\n"
     "  - pymdownx.superfences:\n      custom_fences:\n        - name: a\n          format: !!python/name:x.y\n",
     "docs", ("en",)),
])
def test_docs_folder_and_language_come_from_mkdocs_yml(tmp_path, site, docs, languages):
    (tmp_path / "mkdocs.yml").write_text(site, "utf-8")
    config = config_mod.load(tmp_path)
    assert (config.docs, config.records, config.languages) == (tmp_path / docs, tmp_path / docs / "notebooks",
                                                               languages)


def test_docs_folder_and_language_come_from_zensical_toml(tmp_path):
    (tmp_path / "zensical.toml").write_text('[project]\nsite_name = "t"\ndocs_dir = "src"\n'
                                            '[project.theme]\nlanguage = "fr"\n', "utf-8")
    config = config_mod.load(tmp_path)
    assert (config.docs, config.languages) == (tmp_path / "src", ("fr",))


def test_pyproject_settings_win_over_the_host(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ntheme: {name: material, language: zh}\n", "utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.execdoc]\nlanguages = ["en", "zh"]\nrecords = "r"\n', "utf-8")
    config = config_mod.load(tmp_path)
    assert (config.languages, config.records) == (("en", "zh"), tmp_path / "r")


def test_unreadable_host_configuration_names_the_file(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n", "utf-8")
    with pytest.raises(ExecdocError) as info:
        config_mod.load(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'mkdocs.yml'}: cannot be read: ")
