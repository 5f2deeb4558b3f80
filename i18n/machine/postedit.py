"""Post-edit distance: how far a machine draft is from the translation a person settled on.

Two measures, both on characters so that they work for any language without a tokenizer:

* :func:`edit_distance`, the Levenshtein distance (insertions, deletions, substitutions of characters);
* :func:`chrf`, chrF (Popović 2015): the F-score (β = 2) of character n-grams, n = 1…6, white space
  removed, 0–100 (100: identical). It is what MT evaluation uses at sentence level.

>>> edit_distance("gat", "gats")
1
>>> chrf("el gat", "el gat")
100.0
"""

from __future__ import annotations

from collections import Counter

#: chrF's n-gram orders and its β (recall weighs β times as much as precision).
CHRF_ORDER = 6
CHRF_BETA = 2.0


def edit_distance(a: str, b: str) -> int:
    """The Levenshtein distance between ``a`` and ``b``, in characters."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _ngrams(text: str, n: int) -> Counter[str]:
    return Counter(text[i:i + n] for i in range(len(text) - n + 1))


def chrf(hypothesis: str, reference: str) -> float:
    """chrF of ``hypothesis`` (the draft) against ``reference`` (the settled translation), 0–100."""
    hyp = "".join(hypothesis.split())
    ref = "".join(reference.split())
    if hyp == ref:
        return 100.0
    precisions: list[float] = []
    recalls: list[float] = []
    for n in range(1, CHRF_ORDER + 1):
        found, wanted = _ngrams(hyp, n), _ngrams(ref, n)
        if not found or not wanted:
            continue
        common = sum((found & wanted).values())
        precisions.append(common / sum(found.values()))
        recalls.append(common / sum(wanted.values()))
    if not precisions:
        return 0.0
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    if p == 0 and r == 0:
        return 0.0
    beta2 = CHRF_BETA ** 2
    return round(100.0 * (1 + beta2) * p * r / (beta2 * p + r), 1)
