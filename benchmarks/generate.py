"""Generate a deterministic BPoD-scale workspace: ``i18n.toml``, N English articles and a small site.

Articles have the shape of the bundled sample (``content/<yyyy>/<yyyy-mm-dd>-<slug>.md``, YAML front
matter with title, date, author, one or two credit lines, an image alt text and caption, tags; a body of
one to three paragraphs, about 150 words in all, with a link, *emphasis* and numbers). There is one
article per day going back from :data:`LAST_DAY`, so 5,000 articles span fourteen year folders.

Text is drawn from a fixed vocabulary with a seeded :class:`random.Random`, so the same ``seed`` always
gives the same bytes, on any machine, without the network. Each article has its own generator (seeded
from ``seed`` and its position), so a workspace of 100 articles is the newest 100 of one of 5,000.

Library use::

    from benchmarks.generate import generate
    workspace = generate(Path("/tmp/ws"), articles=5000, languages=["ca", "es"], seed=0)

Command line::

    python benchmarks/generate.py /tmp/ws --articles 5000 --languages ca,es [--seed 0] [--force]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

LAST_DAY = dt.date(2026, 11, 21)
"""The date of the newest generated article; each older one is a day earlier."""

WORDS_PER_ARTICLE = (120, 180)
"""The range of body words per article, split into one to three paragraphs."""


def _words(text: str) -> list[str]:
    """A vocabulary list written as whitespace-separated words."""
    return text.split()


_NOUNS = _words("""
cell cells tissue protein proteins membrane nucleus nuclei neuron neurons axon synapse embryo organoid
organoids mitochondria bacteria virus virus-like particle culture sample microscope image scan
gene genes genome enzyme receptor antibody antibodies blood vessel vessels artery capillary heart lung
liver kidney gut intestine skin bone cartilage muscle fibre fibres tumour tumours wound scar collagen
fat droplet droplets spindle chromosome chromosomes crystal structure scaffold hydrogel patch implant
zebrafish mouse fruit fly worm plant root leaf seed pollen spore fungus biofilm colony parasite
mosquito larva egg retina lens cornea eye brain cortex spinal cord nerve ganglion hair follicle tooth
enamel lymph node spleen immune system macrophage T cell signal pathway drug dose therapy vaccine
sensor laser dye stain marker fluorescence contrast resolution model lab team study trial patient
""")

_ADJECTIVES = _words("""
tiny vast delicate dense hollow branching spiral glowing bright pale vivid tangled layered folded
twisted round slender thick thin fragile sturdy living dying growing healthy diseased inflamed
damaged repaired young ageing early late rare common unusual familiar hidden visible colourful
fluorescent magnified microscopic three-dimensional engineered modified natural artificial
human animal bacterial viral cellular molecular electrical chemical mechanical
""")

_VERBS = _words("""
grows forms folds spreads reveals shows traces maps tracks guides blocks repairs protects attacks
divides fuses migrates signals responds adapts survives renews shrinks swells glows binds releases
captures builds lines surrounds crosses connects separates controls triggers slows speeds
""")

_ADVERBS = _words("""
quickly slowly steadily suddenly gradually rarely often precisely gently strongly barely nearly
""")

_LINKERS = _words("""
while because although when after before as since unless until whereas once
""")

_COLOURS = _words("red green blue cyan magenta yellow orange purple white grey")

_OPENERS = [
    "In this image", "Seen here", "Under the microscope", "In the lab", "For the first time",
    "Surprisingly", "Until now", "In healthy tissue", "In patients", "Over several days",
    "At this scale", "In the new study", "Remarkably", "Here",
]

_FIRST_NAMES = _words("""
Ada Amara Ana Arjun Beatriz Chen Dmitri Elena Farah Greta Hana Ines Jonas Kenji Laila Lucía Marco
Maya Nadia Niamh Olu Pau Priya Rafael Sanna Sofia Tomás Uma Wen Yusuf Zofia Joan Kat Oriol Maite
""")

_LAST_NAMES = _words("""
Abara Barceló Castell Dubois Ellison Fernández Garcia Haddad Ito Jansen Kowalski Lindqvist Moreau
Nakamura Okonkwo Petrov Quintana Rossi Silva Tanaka Urquhart Vidal Whitfield Xu Yilmaz Zapata Novak
""")

_INSTITUTES = [
    "Institute of Cell Biology", "Centre for Tissue Models", "Department of Neuroscience",
    "Laboratory of Molecular Imaging", "School of Biomedical Sciences", "Cancer Research Unit",
    "Department of Developmental Biology", "Respiratory Regeneration Group", "Vision Research Centre",
    "Institute for Infection and Immunity", "Marine Biology Station", "Centre for Plant Sciences",
]

_PLACES = [
    "Leiden, the Netherlands", "Valencia, Spain", "Barcelona, Spain", "Bilbao, Spain",
    "Santiago de Compostela, Spain", "Lyon, France", "Bologna, Italy", "Porto, Portugal",
    "Heidelberg, Germany", "Kraków, Poland", "Cambridge, UK", "Dundee, UK", "Boston, USA",
    "Kyoto, Japan", "Melbourne, Australia", "Toronto, Canada", "Cape Town, South Africa",
]

_UI_STRINGS = [
    "Biomedical Image of the Day", "Latest images", "A new image from the life sciences, every day",
    "Archive", "Search The Archive", "Submit An Image", "What is BIoD?", "Read More",
    "Credits", "Read the original article in English", "The archive is empty.",
]


@dataclass(frozen=True, slots=True)
class GeneratedWorkspace:
    """What :func:`generate` wrote: the workspace folder, its target languages and its articles."""

    folder: Path
    languages: tuple[str, ...]
    articles: tuple[Path, ...]
    """Article files, newest first."""


def generate(folder: Path, articles: int, languages: Sequence[str], seed: int = 0, *,
             force: bool = False) -> GeneratedWorkspace:
    """Write a workspace of ``articles`` articles translated into ``languages`` into ``folder``.

    ``folder`` is created if needed; a folder that already holds an ``i18n.toml`` is refused unless
    ``force`` is true (then generated files are overwritten; other files are left alone).
    """
    if articles < 0:
        raise ValueError("articles must be zero or more")
    if not languages:
        raise ValueError("at least one target language is needed")
    config = folder / "i18n.toml"
    if config.exists() and not force:
        raise FileExistsError(f"{config} already exists; pass force=True (--force) to overwrite")
    folder.mkdir(parents=True, exist_ok=True)
    config.write_text(_config_text(languages), encoding="utf-8")
    site = folder / "site" / "templates"
    site.mkdir(parents=True, exist_ok=True)
    (site / "base.html").write_text(_base_html(), encoding="utf-8")
    written: list[Path] = []
    made: set[Path] = set()
    for number in range(articles):
        date = LAST_DAY - dt.timedelta(days=number)
        rng = random.Random(f"{seed}:{number}")
        title = _title(rng)
        path = folder / "content" / f"{date:%Y}" / f"{date:%Y-%m-%d}-{_slug(title)}.md"
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(article_text(rng, title, date), encoding="utf-8")
        written.append(path)
    return GeneratedWorkspace(folder, tuple(languages), tuple(written))


def article_text(rng: random.Random, title: str, date: dt.date) -> str:
    """One article: YAML front matter, then the Markdown body."""
    credits = [_credit(rng) for _ in range(rng.randint(1, 2))]
    subject = rng.choice(_NOUNS)
    colours = rng.sample(_COLOURS, 2)
    alt = _sentence(rng, rng.randint(5, 9), period=False, plain=True)
    caption = (f"{_cap(rng.choice(_ADJECTIVES))} {subject} with {rng.choice(_NOUNS)} "
               f"({colours[0]}) and {rng.choice(_NOUNS)} ({colours[1]})")
    tags = rng.sample(_NOUNS, rng.randint(1, 3))
    lines = [
        "---",
        f"title: {title}",
        f"date: {date.isoformat()}",
        f"author: {_person(rng)}",
        "credits:",
        *(f"  - {credit}" for credit in credits),
        "image:",
        f"  alt: {alt}",
        f"  caption: {caption}",
        f"tags: [{', '.join(tags)}]",
        "---",
        "",
    ]
    body = "\n\n".join(_paragraphs(rng))
    return "\n".join(lines) + "\n" + body + "\n"


def _paragraphs(rng: random.Random) -> list[str]:
    """One to three paragraphs, about 150 words in all; one has a link, most have emphasis and numbers."""
    count = rng.randint(1, 3)
    total = rng.randint(*WORDS_PER_ARTICLE)
    paragraphs: list[str] = []
    for _ in range(count):
        target = total // count
        sentences: list[str] = []
        words = 0
        while words < target:
            sentence = _sentence(rng, rng.randint(6, min(16, target - words + 6)))
            sentences.append(sentence)
            words += len(sentence.split())
        paragraphs.append(" ".join(sentences))
    link = rng.randrange(count)
    slug = "-".join(rng.sample(_NOUNS, 2)).replace(" ", "-")
    text = f"[{rng.choice(['full story', 'original study', 'research paper', 'lab website'])}]"
    paragraphs[link] += f" Read the {text}(https://example.org/research/{slug})."
    return paragraphs


def _sentence(rng: random.Random, length: int, *, period: bool = True, plain: bool = False) -> str:
    """A sentence of about ``length`` words: clauses with the odd *emphasis* (unless ``plain``) and number."""
    words: list[str] = []
    if rng.random() < 0.3:
        words.extend(rng.choice(_OPENERS).split())
        words[-1] += ","
    while len(words) < length:
        if words and not words[-1].endswith(","):
            words.append(rng.choice([*_LINKERS, "and", "so"]))
        words.extend(_noun_phrase(rng, plain))
        if rng.random() < 0.3:
            words.append(rng.choice(_ADVERBS))
        words.append(rng.choice(_VERBS))
        words.extend(_noun_phrase(rng, plain))
        if rng.random() < 0.25:
            words.extend(["in", rng.choice(_QUANTITIES)(rng)])
    words[0] = _cap(words[0])
    return " ".join(words) + ("." if period else "")


def _noun_phrase(rng: random.Random, plain: bool) -> list[str]:
    if not plain and rng.random() < 0.1:
        return [rng.choice(["the", "a"]), f"*{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}*"]
    phrase = [rng.choice(["the", "a", "its", "their", "each", "every", "one"])]
    if rng.random() < 0.5:
        phrase.append(rng.choice(_ADJECTIVES))
    phrase.append(rng.choice(_NOUNS))
    return phrase


_QUANTITIES: list[Callable[[random.Random], str]] = [
    lambda rng: f"{rng.randint(2, 48)} hours",
    lambda rng: f"{rng.randint(2, 99)}% of cases",
    lambda rng: f"{rng.randint(1, 40)}0 micrometres",
    lambda rng: f"{rng.randint(1000, 99999):,} samples",
    lambda rng: f"{rng.randint(1, 9)}.{rng.randint(0, 9)} million cells",
    lambda rng: f"{rng.randint(1990, 2026)}",
]


def _title(rng: random.Random) -> str:
    pattern = rng.randrange(3)
    if pattern == 0:
        return f"{_cap(rng.choice(_ADJECTIVES))} {_cap(rng.choice(_NOUNS))}"
    if pattern == 1:
        return f"{_cap(rng.choice(_VERBS))} the {_cap(rng.choice(_NOUNS))}"
    return f"{_cap(rng.choice(_NOUNS))} {_cap(rng.choice(_ADVERBS))}"


def _slug(title: str) -> str:
    kept = "".join(c if c.isascii() and c.isalnum() else "-" for c in title.lower())
    return "-".join(part for part in kept.split("-") if part)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"


def _credit(rng: random.Random) -> str:
    return (f"Image from work by {_person(rng)} and colleagues, {rng.choice(_INSTITUTES)}, "
            f"{rng.choice(_PLACES)}")


def _cap(word: str) -> str:
    if word.startswith("*"):
        return "*" + word[1:2].upper() + word[2:]
    return word[:1].upper() + word[1:]


def _config_text(languages: Sequence[str]) -> str:
    quoted = ", ".join(f'"{code}"' for code in languages)
    return (
        "# Generated by benchmarks/generate.py: a BPoD-scale benchmark workspace.\n"
        'project = "Biomedical Image of the Day"\n'
        'source_language = "en"\n'
        f"languages = [{quoted}]\n"
        'copyright_holder = "The BIoD translation teams"\n'
        'bugs_address = "translations@example.org"\n'
        "\n"
        "[paths]\n"
        'content = "content"\n'
        "feeds = []\n"
        'ui = ["site"]\n'
        'locales = "locales"\n'
    )


def _base_html() -> str:
    items = "\n".join(f'    <li>{{{{ _("{text}") }}}}</li>' for text in _UI_STRINGS)
    return (
        "<!DOCTYPE html>\n"
        "<html>\n<head><title>{% block title %}{{ _(\"Biomedical Image of the Day\") }}{% endblock %}"
        "</title></head>\n<body>\n  <ul>\n" + items + "\n  </ul>\n"
        "  {% block content %}{% endblock %}\n"
        "  <p>{% trans count=articles|length %}{{ count }} article{% pluralize %}"
        "{{ count }} articles{% endtrans %}</p>\n"
        "</body>\n</html>\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``generate.py DIR --articles N --languages ca,es [--seed S] [--force]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("folder", type=Path, help="the workspace folder to write")
    parser.add_argument("--articles", type=int, default=5000, help="number of articles (default 5000)")
    parser.add_argument("--languages", default="ca,es",
                        help="comma-separated target languages (default ca,es)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--force", action="store_true", help="overwrite a folder that holds an i18n.toml")
    args = parser.parse_args(argv)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    try:
        made = generate(args.folder, args.articles, languages, args.seed, force=args.force)
    except (ValueError, FileExistsError) as error:
        print(f"generate.py: {error}", file=sys.stderr)
        return 2
    print(f"{len(made.articles)} articles, languages {','.join(made.languages)}: {made.folder}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
