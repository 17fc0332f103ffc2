"""``mkdocs.yml`` read and written with its tags kept (``!ENV``,
``!!python/name:...``), and the edits the cases make to it: execdoc dropped, a
plugin set or removed, the nav kept to the pages that exist."""

from __future__ import annotations


class Tagged:
    """A YAML node with a tag MkDocs resolves itself (!ENV, !!python/name:...)."""

    def __init__(self, tag: str, value):
        self.tag, self.value = tag, value


def _yaml():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    class Dumper(yaml.SafeDumper):
        pass

    def construct(loader, suffix, node, prefix):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return Tagged(prefix + suffix, value)

    Loader.add_multi_constructor("!", lambda loader, s, n: construct(loader, s, n, "!"))
    Loader.add_multi_constructor("tag:yaml.org,2002:python/",
                                 lambda loader, s, n: construct(loader, s, n, "tag:yaml.org,2002:python/"))

    def represent(dumper, data: Tagged):
        if isinstance(data.value, list):
            return dumper.represent_sequence(data.tag, data.value)
        if isinstance(data.value, dict):
            return dumper.represent_mapping(data.tag, data.value)
        return dumper.represent_scalar(data.tag, data.value)

    Dumper.add_representer(Tagged, represent)
    return yaml, Loader, Dumper


def read(path) -> dict:
    yaml, Loader, _ = _yaml()
    return yaml.load(path.read_text("utf-8"), Loader=Loader)


def write(path, data: dict) -> None:
    yaml, _, Dumper = _yaml()
    path.write_text(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False), "utf-8")


def name(item) -> str:
    """The name of a plugin or extension entry (a string, or a one-key mapping)."""
    return item if isinstance(item, str) else next(iter(item))


def _custom_fences(cfg: dict) -> list[dict]:
    for ext in cfg.get("markdown_extensions", []):
        if name(ext) == "pymdownx.superfences" and isinstance(ext, dict):
            return list((ext["pymdownx.superfences"] or {}).get("custom_fences", []))
    return []


MATH = "execdoc.render.mathml"  # math alone: the floor and the peers render formulas as the site does


def _from_execdoc(fence: dict) -> bool:
    return any(isinstance(v, Tagged) and ":execdoc." in v.tag for v in fence.values())


def _is_execdoc(entry) -> bool:
    return name(entry) == "execdoc" or name(entry).startswith("execdoc.")


def execdoc_fences(cfg: dict) -> set[str]:
    """Names of the fences execdoc implements (``snippet``, ``quiz``, ...): those
    its Markdown extension registers itself, and any custom fence the
    configuration still points at execdoc."""
    from execdoc.markdown.extension import FENCES
    uses = any(_is_execdoc(e) and name(e) != MATH
               for e in [*cfg.get("plugins", []), *cfg.get("markdown_extensions", [])])
    return (set(FENCES) if uses else set()) | {f.get("name") for f in _custom_fences(cfg) if _from_execdoc(f)}


def drop_execdoc(cfg: dict) -> None:
    """Remove everything of execdoc: its plugin (which would add the extension
    back), its extensions (``execdoc.markdown``, which registers the fences),
    and any custom fence that points at it. Math stays, as an extension of its
    own: a plain MkDocs site would convert its formulas too."""
    cfg["plugins"] = [p for p in cfg.get("plugins", []) if not _is_execdoc(p)]
    extensions = []
    for ext in cfg.get("markdown_extensions", []):
        if _is_execdoc(ext):
            if name(ext) == "execdoc.markdown":
                extensions.append(MATH)
            continue
        if name(ext) == "pymdownx.superfences" and isinstance(ext, dict):
            opts = dict(ext["pymdownx.superfences"] or {})
            opts["custom_fences"] = [f for f in opts.get("custom_fences", []) if not _from_execdoc(f)]
            ext = {"pymdownx.superfences": opts}
        extensions.append(ext)
    cfg["markdown_extensions"] = extensions


def set_plugin(cfg: dict, plugin: str, options: dict | None) -> None:
    """Replace (or append) plugin ``plugin``; ``options=None`` removes it."""
    plugins = [p for p in cfg.get("plugins", []) if name(p) != plugin]
    if options is not None:
        plugins.append({plugin: options} if options else plugin)
    cfg["plugins"] = plugins


def plugin_options(cfg: dict, plugin: str) -> dict | None:
    """The options of plugin ``plugin`` ({} when it has none), None when absent."""
    for entry in cfg.get("plugins", []):
        if name(entry) == plugin:
            return dict(entry[plugin] or {}) if isinstance(entry, dict) else {}
    return None


def filter_nav(nav, exists, rename) -> list:
    """The nav without entries whose page is gone; ``rename`` maps kept paths."""
    out = []
    for item in nav or []:
        if isinstance(item, str):
            if exists(rename(item)):
                out.append(rename(item))
        elif isinstance(item, dict):
            (title, value), = item.items()
            if isinstance(value, list):
                inner = filter_nav(value, exists, rename)
                if inner:
                    out.append({title: inner})
            elif isinstance(value, str) and (value.startswith(("http://", "https://")) or exists(rename(value))):
                out.append({title: rename(value) if not value.startswith("http") else value})
    return out
