"""Unicode line breaking exactly as GNU msgcat does it (libunistring 1.0's ``ulc_width_linebreaks_v2``).

GNU gettext 0.21 wraps PO strings with libunistring's implementation of UAX #14. To write PO files that are
byte-identical to what ``msgcat`` writes, this module re-implements the two functions it uses:

- :func:`possible_linebreaks`: ``u8_possible_linebreaks_loop`` (gnulib
  ``lib/unilbrk/u8-possible-linebreaks.c`` as shipped in libunistring 1.0): where a line may, must, or must
  not break;
- :func:`width_linebreaks`: ``u8_width_linebreaks_internal`` (``u8-width-linebreaks.c``): the greedy choice
  of breaks that keeps lines within a column width.

The per-character classes, the class-pair table and the column widths come from libunistring 1.0 itself
(see :mod:`i18n.catalogs.linebreak_data` and ``tools/gen_linebreak_data.py``). Pure Python, no dependencies.
Everything works on code points: a break "at ``i``" means before ``text[i]``.
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from collections.abc import Sequence

from i18n.catalogs.linebreak_data import CLASS_STARTS, CLASS_VALUES, PAIR_TABLE, WIDTH_STARTS, WIDTH_VALUES


class Break(enum.IntEnum):
    """Break opportunities, with libunistring's ``UC_BREAK_*`` values."""

    UNDEFINED = 0
    PROHIBITED = 1
    POSSIBLE = 2
    MANDATORY = 3
    HYPHENATION = 4
    CR_BEFORE_LF = 5


# Hot loops use plain ints; these mirror Break.
_UNDEFINED, _PROHIBITED, _POSSIBLE, _MANDATORY, _CR_BEFORE_LF = 0, 1, 2, 3, 5

# libunistring 1.0's LBP_* class numbers (lbrktables.h). Classes below 33 index the pair table.
WJ, GL, B2, BA, BB, HY, CL, CP1, CP2, EX, IN, NS, OP1, OP2, QU, IS, NU, PO, PR, SY = range(20)
AL, H2, H3, ID1, ID2, JL, JV, JT, HL, RI, ZWJ, EB, EM = range(20, 33)
BK, CR, LF, CM, ZW, SP, CB, AI, SA, XX = range(33, 43)
HL_BA = 100  # runtime only: a Hebrew letter followed by a hyphen or break-after character

_NCLASSES = 33
# Pair table values: D (direct break), I (break only after spaces), P (prohibited).
_D, _I, _P = 1, 2, 3
_PAIRS = bytes.fromhex(PAIR_TABLE)
# Classes resolved before the table lookup (AI and XX/SA to AL, CB to ID1), as in the C code.
_RESOLVE = {AI: AL, CB: ID1, SA: AL, XX: AL}

_cache: dict[str, tuple[int, int]] = {}


def char_info(ch: str) -> tuple[int, int]:
    """The resolved line-break class and the column width (0 for control characters) of ``ch``."""
    info = _cache.get(ch)
    if info is None:
        cp = ord(ch)
        cls = CLASS_VALUES[bisect_right(CLASS_STARTS, cp) - 1]
        info = (_RESOLVE.get(cls, cls), WIDTH_VALUES[bisect_right(WIDTH_STARTS, cp) - 1])
        _cache[ch] = info
    return info


def column_width(text: str) -> int:
    """How many columns ``text`` takes on a terminal (``uc_width``: wide = 2, combining and controls = 0)."""
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, _ASCII_ZERO_WIDTH))
    info = _cache
    return sum((info.get(ch) or char_info(ch))[1] for ch in text)


def _classes(text: str) -> bytes | list[int]:
    """The resolved class of each character of ``text`` (computed in C for ASCII text)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_CLASSES)
    info = _cache
    return [(info.get(ch) or char_info(ch))[0] for ch in text]


def _widths(text: str) -> bytes | list[int]:
    """The column width of each character of ``text``."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WIDTHS)
    info = _cache
    return [(info.get(ch) or char_info(ch))[1] for ch in text]


def possible_linebreaks(text: str) -> list[int]:
    """The break opportunity before each character of ``text`` (a list of :class:`Break` values).

    A transcription of libunistring 1.0's ``u8_possible_linebreaks_loop`` with ``cr = LBP_CR`` (the ``_v2``
    entry point msgcat uses), for a non-CJK encoding (ambiguous characters are alphabetic).
    """
    p = [_PROHIBITED] * len(text)
    pairs = _PAIRS
    bk, cr, lf, cm, zw, sp, zwj, ri, hl, hl_ba, hy, ba, al = BK, CR, LF, CM, ZW, SP, ZWJ, RI, HL, HL_BA, HY, BA, AL
    possible, direct, indirect = _POSSIBLE, _D, _I
    prev_prop = bk  # class of the previous character
    last_prop = bk  # class of the last character that is not a space
    seen_space = False  # whether a space came after the last non-space character
    ri_count = 0  # consecutive regional indicators just before this point
    for i, prop in enumerate(_classes(text)):
        if prop in (bk, lf, cr):
            p[i] = _MANDATORY
            if prev_prop == cr and prop == lf:
                p[i - 1] = _CR_BEFORE_LF
            prev_prop = prop
            last_prop = bk
            seen_space = False
        else:
            if prop == sp:
                seen_space = True
            elif prop == zw:
                last_prop = zw
                seen_space = False
            elif prop in (cm, zwj):
                if last_prop == bk:
                    last_prop = al
                    seen_space = False
                elif last_prop == zw or seen_space:
                    p[i] = possible
                    last_prop = al
                    seen_space = False
            else:
                if last_prop == bk or prev_prop in (zwj, hl_ba):
                    pass  # no break at the start, after ZWJ, or after Hebrew + hyphen (LB21a)
                elif last_prop == zw:
                    p[i] = possible
                elif last_prop == ri and prop == ri:
                    if seen_space or ri_count % 2 == 0:
                        p[i] = possible
                else:
                    rule = pairs[last_prop * 33 + prop]
                    if rule == direct or (rule == indirect and seen_space):
                        p[i] = possible
                last_prop = prop
                seen_space = False
            prev_prop = hl_ba if prev_prop == hl and (prop in (hy, ba)) else prop
        ri_count = ri_count + 1 if prop == ri else 0
    return p


def width_linebreaks(text: str, width: int, start_column: int = 0, at_end_columns: int = 0,
                     overrides: Sequence[int] | None = None, possible: Sequence[int] | None = None) -> list[int]:
    """Where to break ``text`` so that lines fit in ``width`` columns (a list of :class:`Break` values).

    A transcription of libunistring 1.0's ``u8_width_linebreaks_internal``: the first line starts at
    ``start_column``; ``at_end_columns`` are reserved after the last character; ``overrides`` (one value per
    character, :attr:`Break.UNDEFINED` for none) replace the possible breaks, which is how msgcat forbids
    breaking inside escape sequences. ``possible`` may pass :func:`possible_linebreaks` of ``text`` when it
    is already known. Only :attr:`Break.POSSIBLE` entries of the result are breaks to make; mandatory breaks
    keep :attr:`Break.MANDATORY`.
    """
    p = list(possible) if possible is not None else possible_linebreaks(text)
    if overrides is not None:
        p = [o if o != _UNDEFINED else b for b, o in zip(p, overrides, strict=True)]
    possible_, mandatory, cr_before_lf, prohibited = _POSSIBLE, _MANDATORY, _CR_BEFORE_LF, _PROHIBITED
    last_p = -1
    last_column = start_column
    piece_width = 0
    for i, w in enumerate(_widths(text)):
        b = p[i]
        if b == prohibited:
            piece_width += w
            continue
        # An atomic piece of text ends at a break: if it overflows, break before it.
        if last_p >= 0 and last_column + piece_width > width:
            p[last_p] = possible_
            last_column = 0
        if b in (mandatory, cr_before_lf):
            last_p = -1
            last_column = 0
            piece_width = 0
        else:
            if b == possible_:
                last_p = i
                last_column += piece_width
                piece_width = 0
            p[i] = prohibited
            piece_width += w
    if last_p >= 0 and last_column + piece_width + at_end_columns > width:
        p[last_p] = possible_
    return p


def _prime_ascii() -> tuple[bytes, bytes, bytes]:
    """Translation tables for ASCII text: class per byte, width per byte, and the zero-width bytes."""
    classes = bytes(char_info(chr(cp))[0] for cp in range(128)) + bytes(128)
    widths = bytes(char_info(chr(cp))[1] for cp in range(128)) + bytes(128)
    zero_width = bytes(cp for cp in range(128) if char_info(chr(cp))[1] == 0)
    return classes, widths, zero_width


_ASCII_CLASSES, _ASCII_WIDTHS, _ASCII_ZERO_WIDTH = _prime_ascii()


# ---------------------------------------------------------------------------------------------------------
# Fast path: the same breaks for common text, found line by line
# ---------------------------------------------------------------------------------------------------------
#
# For text whose characters all take one column and have a class that indexes the pair table directly (not
# BK/CR/LF/CM/ZW/SP, nor ZWJ, RI or HL, which carry state), apart from plain spaces, the loop of
# possible_linebreaks reduces to a local rule: a break is possible before a non-space character that has a
# non-space character somewhere before it, when the pair table says D between the two, or I with spaces in
# between. And since every character is one column wide, the greedy pass of width_linebreaks comes down to
# this: from the start of a line at index s (-start_column for the first line), while the rest of the text
# (plus at_end_columns) does not fit, break at the last opportunity at most s + width, or, if there is
# none after s, at the first one after s. So only the characters near each line's end are looked at.
# tests/test_linebreak_fast.py checks this against the reference on generated strings.

_SIMPLE = frozenset(range(_NCLASSES)) - {HL, RI, ZWJ}
_fast_chars: set[str] = {chr(cp) for cp in range(32, 127)}  # characters known to suit the fast path
_slow_chars: set[str] = set()  # characters known not to


def _suits_fast_path(text: str) -> bool:
    """Whether every character of ``text`` is a space or one column wide with a stateless class."""
    if text.isascii():
        return text.isprintable()
    fast = _fast_chars
    if fast.issuperset(text):
        return True
    verdict = True
    for ch in set(text) - fast:
        if ch in _slow_chars:
            return False
        cls, w = char_info(ch)
        if w == 1 and cls in _SIMPLE:
            fast.add(ch)
        else:
            _slow_chars.add(ch)
            verdict = False
    return verdict


def fast_break_indexes(text: str, width: int, start_column: int = 0, at_end_columns: int = 0,
                       forbidden: frozenset[int] | set[int] | None = None) -> list[int] | None:
    """The indexes :func:`width_linebreaks` marks :attr:`Break.POSSIBLE`, or ``None`` outside the fast path.

    Same arguments as :func:`width_linebreaks`, except that the overrides are given as ``forbidden``: the
    indexes before which no break may be made (overrides of :attr:`Break.PROHIBITED`; other overrides are not
    supported). ``None`` means the text has a character the fast path does not handle: use the reference.
    """
    if not _suits_fast_path(text):
        return None
    n = len(text)
    info = _cache
    pairs = _PAIRS
    direct, indirect = _D, _I
    no_break = forbidden or ()

    def opportunity(p: int) -> bool:
        """Whether a break is possible before ``text[p]`` (``0 <= p < n``)."""
        ch = text[p]
        if ch == " " or p in no_break:
            return False
        q = p - 1
        while q >= 0 and text[q] == " ":
            q -= 1
        if q < 0:
            return False
        rule = pairs[info[text[q]][0] * _NCLASSES + info[ch][0]]
        return rule == direct or (rule == indirect and q < p - 1)

    breaks: list[int] = []
    s = -start_column  # where the current line starts, in indexes of text
    while n + at_end_columns - s > width:
        limit = s + width  # the last index whose break still leaves the line within width
        low = max(s, 0)
        p = min(limit, n - 1)
        while p > low:  # opportunity(p), inlined: this is the hot loop
            ch = text[p]
            if ch != " " and p not in no_break:
                q = p - 1
                while q >= 0 and text[q] == " ":
                    q -= 1
                if q >= 0:
                    rule = pairs[info[text[q]][0] * _NCLASSES + info[ch][0]]
                    if rule == direct or (rule == indirect and q < p - 1):
                        break
            p -= 1
        if p <= low:  # no opportunity within the line: the first one after it
            p = max(limit, low) + 1
            while p < n and not opportunity(p):
                p += 1
            if p >= n:
                break
        breaks.append(p)
        s = p
    return breaks
