"""Checks of what must survive translation exactly: Markdown and HTML markup, link targets, placeholders,
and Apertium's unknown-word marks that must not.

All of them are errors: each breaks the published page or a template.
"""

from __future__ import annotations

import re
from collections import Counter

from i18n.content.checks.base import CheckFailed, Code, Severity, Unit, register
from i18n.content.checks.prose import (
    CODE_SPAN_RE,
    MD_LINK_RE,
    TAG_RE,
    URL_RE,
    differences,
    link_targets,
    listing,
    placeholders_of,
    plural,
    prose,
)

# -- markup -------------------------------------------------------------------------------------------

_STRONG = re.compile(r"(\*\*|__)(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
_EM_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*]+?)(?<=[^\s*\\])\*(?![\w*])")
_EM_UNDERSCORE = re.compile(r"(?<![\w_\\])_(?=[^\s_])([^_]+?)(?<=[^\s_\\])_(?![\w_])")
_HARD_BREAK = re.compile(r"\\\n|  \n")
_VOID_TAGS = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "source", "area", "col", "embed"})


#: Apertium marking an unknown word inside emphasis: ``*dendrites*`` becomes ``**dendrites*``.
_MARK_IN_EMPHASIS = re.compile(r"(?<![\w*])\*\*(?=[^\W\d_])([\w·'’\-]+)\*(?![\w*])")


def _emphasis(text: str) -> Counter[str]:
    text = _MARK_IN_EMPHASIS.sub(r"*\1*", text)  # the apertium check reports the mark
    text = CODE_SPAN_RE.sub(" ", text)
    text = MD_LINK_RE.sub(lambda m: f" {m.group(2)} ", text)
    text = URL_RE.sub(" ", text)
    counts: Counter[str] = Counter()
    strong = _STRONG.findall(text)
    counts["**bold**"] += len(strong)
    text = _STRONG.sub(lambda m: f" {m.group(2)} ", text)
    counts["*emphasis*"] += len(_EM_STAR.findall(text)) + len(_EM_UNDERSCORE.findall(text))
    return +counts


def _tags(text: str) -> list[tuple[str, bool]]:
    text = CODE_SPAN_RE.sub(" ", text)
    return [(m.group("tag").lower(), m.group().startswith("</")) for m in TAG_RE.finditer(text)
            if not m.group().startswith("<http") and "@" not in m.group()]


def _unbalanced_tag(tags: list[tuple[str, bool]]) -> str | None:
    stack: list[str] = []
    for name, closing in tags:
        if name in _VOID_TAGS:
            continue
        if not closing:
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            return f"</{name}> closes {'<' + stack[-1] + '>' if stack else 'nothing'}"
    if stack:
        return f"<{stack[-1]}> is never closed"
    return None


@register(Code.MARKUP, Severity.ERROR, "Markdown emphasis (`*`, `_`, `**`), inline code, links and HTML tags "
                                  "not as in the source; unbalanced tags")
def markup(unit: Unit) -> None:
    """Keep the source's Markdown and HTML: the same emphasis pairs, inline code, links and tags,
    balanced. Translate the text inside them, not the code.
    """
    problems: list[str] = []
    source, target = unit.source, unit.translation
    for kind, count in (_emphasis(source) - _emphasis(target)).items():
        problems.append(f"{count} {kind} {plural(count, 'pair')} missing")
    for kind, count in (_emphasis(target) - _emphasis(source)).items():
        problems.append(f"{count} {kind} {plural(count, 'pair')} not in the source")
    code = differences(Counter(m.group("code") for m in CODE_SPAN_RE.finditer(source)),
                        Counter(m.group("code") for m in CODE_SPAN_RE.finditer(target)), "inline code")
    if code:
        problems.append(code)
    links = len(MD_LINK_RE.findall(source)), len(MD_LINK_RE.findall(target))
    if links[0] != links[1]:
        problems.append(f"the source has {links[0]} Markdown {plural(links[0], 'link')}, "
                        f"the translation {links[1]}")
    source_tags, target_tags = _tags(source), _tags(target)
    tags = differences(Counter(_tag_text(t) for t in source_tags), Counter(_tag_text(t) for t in target_tags),
                        "tags")
    if tags:
        problems.append(tags)
    elif _unbalanced_tag(source_tags) is None and (unbalanced := _unbalanced_tag(target_tags)):
        problems.append(unbalanced)
    breaks = len(_HARD_BREAK.findall(source)), len(_HARD_BREAK.findall(target))
    if breaks[0] != breaks[1]:
        problems.append(f"the source has {breaks[0]} hard line {plural(breaks[0], 'break')}, "
                        f"the translation {breaks[1]}")
    if problems:
        raise CheckFailed("; ".join(problems))


def _tag_text(tag: tuple[str, bool]) -> str:
    return f"</{tag[0]}>" if tag[1] else f"<{tag[0]}>"


# -- links --------------------------------------------------------------------------------------------

@register(Code.LINKS, Severity.ERROR, "link targets, URLs and e-mail addresses not identical to the source")
def links(unit: Unit) -> None:
    """Copy every link target, URL and e-mail address exactly as in the source; translate only the
    link text.
    """
    problem = differences(Counter(link_targets(unit.source)), Counter(link_targets(unit.translation)),
                           "link targets")
    if problem:
        raise CheckFailed(problem)


# -- placeholders ------------------------------------------------------------------------------------

@register(Code.PLACEHOLDERS, Severity.ERROR, "placeholders (`%(name)s`, `%s`, `{name}`, `{{ name }}`) lost, "
                                        "added or changed")
def placeholders(unit: Unit) -> None:
    """Keep every placeholder of the source exactly as written (%(name)s, %s, {name}, {{ name }});
    only their order may change.
    """
    source = Counter(placeholders_of(unit.source, unit.flags))
    target = Counter(placeholders_of(unit.translation, unit.flags))
    missing, extra = source - target, target - source
    if unit.single_number:  # msgstr[0] used only for n == 1 may say "one" instead of "%(num)d"
        missing = Counter()
    problem = "; ".join(p for p in (
        f"missing from the translation: {listing(missing)}" if missing else "",
        f"not in the source: {listing(extra)}" if extra else "",
    ) if p)
    if problem:
        raise CheckFailed("placeholders differ: " + problem)


# -- Apertium -----------------------------------------------------------------------------------------

_MARKED = re.compile(r"(?<![\w*#@])([*#@])([^\W\d_][\w·'’\-]*)")


def apertium_marks(text: str) -> list[str]:
    """Words Apertium marked as unknown (``*word``), or failed to generate (``#word``) or transfer
    (``@word``). Emphasis pairs (``*word*``) are not marks.
    """
    text = prose(text)
    inside = ["*" + m.group(1) for m in _MARK_IN_EMPHASIS.finditer(text)]
    text = _strip_emphasis(_MARK_IN_EMPHASIS.sub(" ", text))
    return inside + [m.group() for m in _MARKED.finditer(text)]


def _strip_emphasis(text: str) -> str:
    text = _STRONG.sub(lambda m: f" {m.group(2)} ", text)
    return _EM_STAR.sub(lambda m: f" {m.group(1)} ", text)


@register(Code.APERTIUM, Severity.ERROR, "Apertium's unknown-word marks left in a machine draft "
                                    "(`*word`, `#word`, `@word`)")
def apertium(unit: Unit) -> None:
    """Translate the marked words and remove the marks (* an unknown word, # and @ a word Apertium could
    not inflect or transfer).
    """
    allowed = set(apertium_marks(unit.source))
    marks = [m for m in apertium_marks(unit.translation) if m not in allowed]
    if _emphasis(unit.source) != _emphasis(unit.translation):  # a broken *emphasis*: markup reports it
        marks = [m for m in marks if not m.startswith("*")]
    if marks:
        raise CheckFailed(f"Apertium {plural(len(marks), 'mark')} left: {', '.join(dict.fromkeys(marks))}")
