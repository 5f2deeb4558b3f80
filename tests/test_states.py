"""The one mapping between PO text and states, and the machine-draft marker."""

from __future__ import annotations

import pytest

from i18n.core.states import State, machine_label, state_of


@pytest.mark.parametrize(
    ("msgstrs", "fuzzy", "comments", "state"),
    [
        (("",), False, (), State.UNTRANSLATED),
        (("",), True, (), State.UNTRANSLATED),  # msgfmt counts an empty fuzzy entry as untranslated
        (("", "x"), False, (), State.UNTRANSLATED),  # only the first form decides, as in msgfmt
        (("x", ""), False, (), State.TRANSLATED),
        (("x",), True, ("machine: apertium eng-cat 2026-11-21",), State.MACHINE),
        (("x",), True, ("memory: 2026-11-14-gut-feelings 2026-11-21",), State.NEEDS_WORK),
        (("x",), True, (), State.NEEDS_WORK),
        (("x",), False, ("machine: apertium eng-cat 2026-11-21",), State.TRANSLATED),
    ],
)
def test_state_of(msgstrs: tuple[str, ...], fuzzy: bool, comments: tuple[str, ...], state: State) -> None:
    assert state_of(msgstrs, fuzzy, comments) is state


@pytest.mark.parametrize(
    ("comments", "label"),
    [
        (("machine: apertium eng-cat 2026-11-21",), "apertium eng-cat"),
        (("checked", "machine: libretranslate 2026-11-21"), "libretranslate"),
        (("machine:",), ""),
        (("rejected by Jordi 2026-11-21: too literal",), None),
        ((), None),
    ],
)
def test_machine_label(comments: tuple[str, ...], label: str | None) -> None:
    assert machine_label(comments) == label


def test_worst_state_orders_the_states() -> None:
    assert State.worst([State.APPROVED, State.MACHINE, State.TRANSLATED]) is State.MACHINE
    assert State.worst([]) is State.APPROVED
