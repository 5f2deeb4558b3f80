"""Source articles: Markdown files with YAML front matter, and JSON Lines feeds.

A Markdown article lives at ``content/<yyyy>/<yyyy-mm-dd>-<slug>.md``::

    ---
    title: Trained Hunters
    date: 2026-11-18
    author: Kat Ellison
    credits:
      - Image from work by Jane Doe and colleagues
    image:
      alt: A T cell on magnetic beads
      caption: An engineered T cell (orange)
    tags: [immunology]
    ---
    Body in Markdown...

A feed is a ``.jsonl`` file with one JSON object per line holding the same fields and ``body``
(Markdown). Every field keeps the line it came from, so catalog references and error messages point at
``file:line``. Loading validates: a missing or empty title, date or author, an invalid date, a malformed
front matter, an id that is not lowercase ASCII/digits/hyphens, the reserved id ``messages``: each is a
:class:`SourceError`.

How the command line names articles (:func:`resolve_article`: an article id, or :data:`UI` for the UI
catalog, which the tracker and the file layout call :data:`UI_ARTICLE`) is defined in :mod:`i18n.core.ids`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from i18n import __version__
from i18n.core.errors import EncodingError, FileError, I18nError, SourceError
from i18n.core.ids import ID_RULE, check_id
from i18n.core.index import ContentIndex
from i18n.core.limits import check_size
from i18n.core.workspace import Workspace

_DATED_STEM = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


@dataclass(frozen=True, slots=True)
class Field:
    """A translatable front-matter field: ``title``, ``image-alt``, ``image-caption`` or ``credit``."""

    name: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Article:
    """One English source article, validated."""

    id: str
    date: dt.date
    title: str
    author: str
    credits: tuple[str, ...]
    image_src: str | None
    image_alt: str | None
    image_caption: str | None
    tags: tuple[str, ...]
    body: str
    """The body in Markdown, as written."""
    source: str
    """The source file, relative to the workspace, with forward slashes."""
    line: int
    """Where the article starts in its source (1 for a Markdown file, its line in a feed)."""
    body_line: int
    """The source line of the body's first line (for a feed: the article's line)."""
    fields: tuple[Field, ...]
    """Translatable front-matter fields in reading order."""
    digest: str
    """SHA-1 of the article's source text: changes whenever anything in it changes."""

    @property
    def year(self) -> int:
        return self.date.year


def decode(data: bytes, path: str) -> str:
    """``data`` as UTF-8 text (a leading BOM is dropped); :class:`EncodingError` naming the line if not.

    A source larger than :data:`i18n.core.limits.MAX_FILE_BYTES` is refused (:class:`FileTooLarge`).
    """
    check_size(data, path, "source")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", path=path, line=line,
            hint="save the file as UTF-8",
        ) from None


def load_markdown(data: bytes, path: str) -> Article:
    """Parse a Markdown article (``path`` is workspace-relative, for messages and references)."""
    text = decode(data, path)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise SourceError("no front matter", path=path, line=1,
                          hint="start the file with a line '---', the YAML fields, and another '---'")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") in ("---", "...")), None)
    if end is None:
        raise SourceError("front matter is not closed", path=path, line=1,
                          hint="end the YAML fields with a line '---'")
    front = "".join(lines[1:end])
    body = "".join(lines[end + 1:])
    meta, key_lines = _parse_yaml(front, path, first_line=2)
    stem = Path(path).stem
    return _article(meta, key_lines, body=body, path=path, line=1, body_line=end + 2, default_id=stem,
                    digest=hashlib.sha1(data).hexdigest(), check_stem=True)


def load_feed(data: bytes, path: str) -> list[Article | SourceError]:
    """Parse a JSON Lines feed: one article (or the error that line has) per non-blank line."""
    text = decode(data, path)
    results: list[Article | SourceError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            try:
                meta = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise SourceError(f"invalid JSON: {exc.msg} (column {exc.colno})", path=path, line=number,
                                  hint="each line must be one complete JSON object") from None
            if not isinstance(meta, dict):
                raise SourceError("expected a JSON object", path=path, line=number,
                                  hint="each line must be one JSON object with title, date, author, body")
            body = meta.pop("body", "")
            if not isinstance(body, str):
                raise SourceError("'body' must be a string of Markdown", path=path, line=number)
            slug = meta.pop("slug", None)
            default_id = None
            if isinstance(slug, str) and isinstance(meta.get("date"), str):
                default_id = f"{meta['date']}-{slug}"
            results.append(_article(
                meta, {}, body=body, path=path, line=number, body_line=number, default_id=default_id,
                digest=hashlib.sha1(raw.encode("utf-8")).hexdigest(), check_stem=False,
            ))
        except SourceError as error:
            results.append(error)
    return results


#: ``.i18n/sources``: the stamps of the sources :func:`check_sources` found loadable (a cache, like the index).
CHECKED_SOURCES = "sources"


def check_sources(workspace: Workspace) -> tuple[FileError, ...]:
    """The source files that cannot be loaded, each as ``file:line: what (how to fix)`` (:func:`checked_sources`)."""
    return checked_sources(workspace).errors


@dataclass(frozen=True, slots=True)
class SourceCheck:
    """What :func:`checked_sources` found."""

    errors: tuple[FileError, ...]
    """The source files that cannot be loaded."""
    token: str | None = None
    """When every source was found exactly as ``.i18n/sources`` records it (no source read): a token of that
    record (its size and modification time), which stands for the stats of every source (equal tokens,
    equal sources: the record is saved again whenever a source differs from it). ``None`` otherwise."""


def checked_sources(workspace: Workspace) -> SourceCheck:
    """The source files that cannot be loaded, each as ``file:line: what (how to fix)``, as ``i18n sync`` says it.

    Every command that reads the workspace reports them, not only ``sync``: a new article with broken front
    matter must not go unnoticed by ``status``, ``check`` or ``publish``. It stays cheap on a large site:
    the stamps (size, modification time) of the sources found loadable are kept in ``.i18n/sources``, so
    only new, changed and broken sources are parsed again (one ``stat`` per source otherwise). A source
    leading outside the workspace stops the command (:meth:`Workspace.confined`).
    """
    checked = ContentIndex.load(workspace.state_dir / CHECKED_SOURCES, fingerprint=__version__)
    root = str(workspace.root)
    if _as_recorded(workspace, checked, root):
        try:
            record = os.stat(checked.path)
        except OSError:
            return SourceCheck(())
        # the record the sources were found to match (unless it was saved again meanwhile)
        return SourceCheck((), f"{record.st_size}:{record.st_mtime_ns}" if record.st_mtime_ns == checked.written_ns
                           else None)
    errors: list[FileError] = []
    seen: set[str] = set()
    sources = list(workspace.source_files())
    checked.preload(root, {rel.rpartition("/")[0] for rel, _ in sources})
    for rel, is_feed in sources:
        seen.add(rel)
        if checked.trusted(root, rel) and rel in checked.stamps:
            continue  # its folder is as recorded (no stat of each file: ContentIndex.trusted): loaded fine
        try:
            stat = os.stat(f"{root}/{rel}")
        except OSError:
            continue  # a missing feed (sync reports it), or vanished meanwhile
        if checked.token(rel, stat) is not None:
            continue  # loaded fine as it is
        try:
            data = workspace.path(rel).read_bytes()
            digest = hashlib.sha1(data).hexdigest()
            if checked.recorded_token(rel) == digest:
                checked.record(rel, stat, digest)  # touched, not changed
                continue
            parsed: Sequence[Article | I18nError] = load_feed(data, rel) if is_feed else [load_markdown(data, rel)]
        except OSError:
            continue  # vanished meanwhile
        except I18nError as error:
            parsed = [error]
        problems = [FileError.of(item) for item in parsed if isinstance(item, I18nError)]
        if problems:
            errors += problems
            checked.forget(rel)
        else:
            checked.record(rel, stat, digest)
    for rel in [key for key in checked.stamps if key not in seen]:
        checked.forget(rel)
    if checked.changed:
        with contextlib.suppress(OSError):  # a read-only checkout: the next command checks again
            workspace.state_dir.mkdir(exist_ok=True)
            checked.save()
    return SourceCheck(tuple(errors))


def _as_recorded(workspace: Workspace, checked: ContentIndex, root: str) -> bool:
    """Whether every source is as when it was last found loadable: the content folder's tree as recorded
    (:meth:`ContentIndex.tree_as_recorded`: no source listed or stat'ed one by one) and each feed's stamp."""
    if checked.changed or not checked.tree_as_recorded(root, workspace.settings.content.as_posix()):
        return False
    for feed in workspace.settings.feeds:
        workspace.confined(feed)
        try:
            if checked.token(feed.as_posix(), os.stat(workspace.root / feed)) is None:
                return False
        except OSError:
            return False
    return True


@cache
def _loader_class() -> Any:
    """PyYAML's safe loader (the C one when available) that leaves dates as text.

    Dates are validated here, with the line they are on, instead of by YAML's timestamp resolver
    (which raises a bare ``ValueError`` for ``2026-13-45``).
    """
    import yaml  # lazy: PyYAML stays out of the no-op status path (only changed sources are parsed)

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in base.yaml_implicit_resolvers.items()
    }
    return type("FrontMatterLoader", (base,), {"yaml_implicit_resolvers": resolvers})


def _parse_yaml(front: str, path: str, first_line: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The front matter as data, and the line of each key's value (credits: a list of lines)."""
    import yaml  # lazy: PyYAML stays out of the no-op status path (only changed sources are parsed)

    loader = _loader_class()(front)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, path, first_line) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise SourceError(f"malformed front matter: {exc}", path=path, line=first_line) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise SourceError("front matter must be YAML fields (key: value)", path=path, line=first_line,
                          hint="for example: title: My title")
    lines: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        start = first_line + value_node.start_mark.line
        if isinstance(value_node, yaml.SequenceNode):
            lines[key] = [first_line + item.start_mark.line for item in value_node.value]
        elif isinstance(value_node, yaml.MappingNode):
            lines[key] = {str(k.value): first_line + v.start_mark.line for k, v in value_node.value}
        else:
            lines[key] = start
        lines.setdefault(f"{key}:line", first_line + key_node.start_mark.line)
    return data, lines


def _yaml_error(exc: Any, path: str, first_line: int) -> SourceError:
    """A YAML syntax error as a :class:`SourceError` at its cause.

    An unclosed quote or bracket is only noticed where the front matter ends (PyYAML's ``problem_mark``,
    the closing ``---``); the line to fix is where it was opened (its ``context_mark``), so that is the
    line named.
    """
    context = exc.context or ""
    unclosed = exc.context_mark is not None and (
        "quoted scalar" in context or "flow" in context or "end of stream" in (exc.problem or ""))
    if unclosed:
        what = "quote" if "quoted scalar" in context else "bracket" if "flow" in context else "value"
        return SourceError(
            f"malformed front matter: the {what} opened on this line is never closed ({exc.problem})",
            path=path, line=first_line + exc.context_mark.line,
            hint="close the quote on this line; to put a quote inside a value, use the other kind around it: "
                 "title: \"It's here\"" if what == "quote" else f"close the {what} on this line",
        )
    mark = exc.problem_mark or exc.context_mark
    return SourceError(f"malformed front matter: {exc.problem or exc}", path=path,
                       line=first_line + mark.line if mark is not None else first_line,
                       hint="check the YAML syntax; quote a value that contains ': ' or starts with a quote")


def _article(meta: dict[str, Any], lines: dict[str, Any], *, body: str, path: str, line: int,
             body_line: int, default_id: str | None, digest: str, check_stem: bool) -> Article:
    """Validate the fields of one article and build it."""

    def where(key: str) -> int:
        value = lines.get(key, line)
        return value if isinstance(value, int) else lines.get(f"{key}:line", line)

    def text(key: str, required: bool) -> str:
        value = meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise SourceError(f"missing '{key}'", path=path, line=where(key) if key in meta else line,
                                  hint=f"add a non-empty '{key}:' field to the front matter")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise SourceError(f"'{key}' must be text", path=path, line=where(key))
        return " ".join(str(value).split())

    title = text("title", required=True)
    date = _date(meta.get("date"), path, where("date") if "date" in meta else line)
    author = text("author", required=True)
    article_id = _article_id(meta, date, title, where, path=path, line=line, default_id=default_id,
                             check_stem=check_stem)
    credits = _credits(meta, lines, where, path)
    image_lines = lines.get("image", {}) if isinstance(lines.get("image"), dict) else {}
    image_src, image_alt, image_caption = _image(meta, image_lines, where, path)

    tags = meta.get("tags", [])
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise SourceError("'tags' must be a list of words", path=path, line=where("tags"))

    fields = [Field("title", title, where("title"))]
    if image_alt:
        fields.append(Field("image-alt", image_alt, image_lines.get("alt", where("image"))))
    if image_caption:
        fields.append(Field("image-caption", image_caption, image_lines.get("caption", where("image"))))
    fields.extend(Field("credit", text, at) for text, at in credits)
    return Article(
        id=article_id, date=date, title=title, author=author, credits=tuple(text for text, _ in credits),
        image_src=image_src, image_alt=image_alt, image_caption=image_caption, tags=tuple(tags),
        body=body, source=path, line=line, body_line=body_line, fields=tuple(fields), digest=digest,
    )


def _article_id(meta: dict[str, Any], date: dt.date, title: str, where: Callable[[str], int], *, path: str,
                line: int, default_id: str | None, check_stem: bool) -> str:
    """The article's id: its ``id`` field, else ``default_id`` (the file name), else date and title.

    A file name that starts with a date must agree with the ``date`` field (``check_stem``), unless the
    ``id`` field names the article.
    """
    raw_id = meta.get("id")
    if raw_id is not None:
        if not isinstance(raw_id, str):
            raise SourceError("'id' must be text", path=path, line=where("id"), hint=f"ids are {ID_RULE}")
        return check_id(raw_id, path, where("id"))
    article_id = check_id(default_id if default_id is not None else f"{date.isoformat()}-{_slugify(title)}",
                          path, line)
    match = _DATED_STEM.match(article_id) if check_stem else None
    if match and match.group(1) != date.isoformat():
        raise SourceError(
            f"the file name says {match.group(1)} but 'date' is {date.isoformat()}", path=path,
            line=where("date"), hint="rename the file or correct the date so that they agree",
        )
    return article_id


def _credits(meta: dict[str, Any], lines: dict[str, Any], where: Callable[[str], int],
             path: str) -> list[tuple[str, int]]:
    """The non-empty credit lines, each with its line in the source."""
    credits_value = meta.get("credits", [])
    if isinstance(credits_value, str):
        credits_value = [credits_value]
    if not isinstance(credits_value, list) or not all(isinstance(c, str) for c in credits_value):
        raise SourceError("'credits' must be a list of lines", path=path, line=where("credits"),
                          hint="write each credit line as '  - text' under 'credits:'")
    credit_lines = lines.get("credits")
    credits = [(" ".join(credit.split()),
                credit_lines[index] if isinstance(credit_lines, list) and index < len(credit_lines)
                else where("credits"))
               for index, credit in enumerate(credits_value)]
    return [(text, at) for text, at in credits if text]


def _image(meta: dict[str, Any], image_lines: dict[str, Any], where: Callable[[str], int],
           path: str) -> tuple[str | None, str | None, str | None]:
    """The image's ``src``, ``alt`` and ``caption`` (``None`` when absent), its fields checked."""
    image = meta.get("image")
    if image is None:
        return None, None, None
    if not isinstance(image, dict):
        raise SourceError("'image' must have fields 'alt' and 'caption'", path=path, line=where("image"))
    for key in image:
        if key not in ("src", "alt", "caption"):
            raise SourceError(f"unknown image field '{key}'", path=path,
                              line=image_lines.get(key, where("image")), hint="allowed: src, alt, caption")
    for key, value in image.items():
        if value is not None and not isinstance(value, str):
            raise SourceError(f"image '{key}' must be text", path=path,
                              line=image_lines.get(key, where("image")))
    return (image.get("src") or None, " ".join(image["alt"].split()) if image.get("alt") else None,
            " ".join(image["caption"].split()) if image.get("caption") else None)


def _date(value: object, path: str, line: int) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        raise SourceError("missing 'date'", path=path, line=line, hint="add 'date: YYYY-MM-DD' to the front matter")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SourceError(f"'date' is not a valid date: {value!r}", path=path, line=line,
                      hint="write the date as YYYY-MM-DD, e.g. 2026-11-18")


def _slugify(title: str) -> str:
    """An id-safe slug of ``title``: ASCII-folded, lowercase, hyphen-separated."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded))[:60].strip("-") or "article"
