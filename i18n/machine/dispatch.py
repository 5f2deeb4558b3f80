"""Sending source texts to one engine: masked, split, within a character budget, batched, concurrent.

:class:`Dispatch` takes the distinct source texts one engine should draft. :meth:`Dispatch.plan` masks each
(:mod:`i18n.content.protect`), splits it within the engine's ``max_chars``, stops before a character
budget would be exceeded, and cuts the pieces into batches within ``batch_size`` and ``batch_chars``
(identical pieces are sent once). :meth:`Dispatch.send` queues every batch at once on a pool of the
engine's ``concurrency`` threads (each with :func:`~i18n.machine.engines.call_with_retry`) and, as each
batch comes back, hands the texts it completed to the caller: the unmasked draft, or the
:class:`MachineTranslationError` why there is none (a draft that does not keep every protected span is a
:class:`~i18n.content.protect.DraftRejected`). The caller's work on one batch (writing a catalog) runs
while the next requests are in flight: nothing waits for it but the results behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from i18n.content.protect import DraftRejected, Masked, Protector, split_text
from i18n.core.errors import EngineAuthError, EngineQuotaError, MachineTranslationError
from i18n.machine.engines import Engine, RetryPolicy, call_with_retry

#: One batch's outcome: each text it completed, with its draft or the reason it has none.
Results = Mapping[str, "str | MachineTranslationError"]


@dataclass(slots=True)
class CharacterBudget:
    """Characters that may still be sent in this run (``None``: no limit), shared by the engines."""

    left: int | None = None

    def take(self, cost: int) -> bool:
        """Spend ``cost`` characters if that many are left; ``False`` (nothing spent) otherwise."""
        if self.left is None:
            return True
        if cost > self.left:
            return False
        self.left -= cost
        return True


@dataclass(slots=True)
class _Text:
    """A source text on its way through one engine: its masked pieces and what came back for each."""

    masked: Masked
    pieces: list[str]
    results: dict[int, str] = field(default_factory=dict)
    error: MachineTranslationError | None = None
    closed: bool = False
    """Completed (drafted or failed) by this engine."""


class Dispatch:
    """The texts one engine drafts in one run (see the module docstring)."""

    def __init__(self, engine: Engine, protector: Protector) -> None:
        self.engine = engine
        self.protector = protector
        self.texts: dict[str, _Text] = {}
        self.pieces: dict[str, list[tuple[str, int]]] = {}
        """piece → the texts (and their piece number) it is part of."""
        self.batches: list[list[str]] = []
        self.characters = 0
        """Characters planned so far: each distinct piece once, as masked."""

    @property
    def requests(self) -> int:
        """Requests to send: one per batch for an engine that takes batches, else one per piece."""
        return len(self.batches) if self.engine.config.batch_size > 1 else len(self.pieces)

    def plan(self, texts: Sequence[str], budget: CharacterBudget,
             submit: Callable[[list[str]], None] | None = None) -> list[str]:
        """Mask, split and batch ``texts`` in order, until the budget runs out: the texts left out, in order.

        ``submit`` is handed each batch as soon as it is complete, so that the first requests are in flight
        while later texts are still being masked.
        """
        limit = self.engine.config.max_chars
        batcher = _Batcher(self.engine.config.batch_size, self.engine.config.batch_chars)
        left: list[str] = []
        for position, text in enumerate(texts):
            masked = self.protector.mask(text, self.engine.style)
            pieces = split_text(masked.text, limit) if limit else [masked.text]
            if not budget.take(sum(len(p) for p in pieces if p not in self.pieces)):
                # Stop before the budget would be exceeded: this text and every later one wait.
                left = list(texts[position:])
                break
            self.texts[text] = _Text(masked, pieces)
            for index, piece in enumerate(pieces):
                if piece not in self.pieces:
                    self.characters += len(piece)
                    batch = batcher.add(piece)
                    if batch is not None:
                        self._batch(batch, submit)
                self.pieces.setdefault(piece, []).append((text, index))
        if batcher.current:
            self._batch(batcher.current, submit)
        return left

    def _batch(self, batch: list[str], submit: Callable[[list[str]], None] | None) -> None:
        self.batches.append(batch)
        if submit is not None:
            submit(batch)

    def send(self, texts: Sequence[str], budget: CharacterBudget, retry: RetryPolicy,
             received: Callable[[Results], None]) -> list[str]:
        """Plan ``texts`` (see :meth:`plan`; the texts left out are returned), send the batches (``concurrency``
        at a time) as they are formed, and call ``received`` as each one comes back.

        Raises :class:`EngineAuthError` or :class:`EngineQuotaError` once the batches in flight are back
        (the queued ones are cancelled); ``received`` has seen every batch that came back before.
        """
        stop: EngineAuthError | EngineQuotaError | None = None
        # Every batch is queued as soon as it is formed (the pool runs ``concurrency`` of them at a time), so
        # neither masking the later texts nor the caller's work on one batch (writing a catalog) holds back
        # the next request; on a stop or an interruption the queued batches are cancelled and only those in
        # flight are waited for.
        with ThreadPoolExecutor(max_workers=self.engine.config.concurrency,
                                thread_name_prefix=f"i18n-{self.engine.name}") as pool:
            running: dict[Future[list[str | MachineTranslationError]], list[str]] = {}

            def submit(batch: list[str]) -> None:
                running[pool.submit(call_with_retry, lambda: self.engine.translate(batch), retry)] = batch

            try:
                left = self.plan(texts, budget, submit)
                for future in as_completed(running):
                    stopped = self._collect(future, running[future], received)
                    if stopped is not None:
                        stop = stop or stopped
                        for queued in running:
                            queued.cancel()
            finally:
                for queued in running:
                    queued.cancel()
        if stop is not None:
            raise stop
        return left

    def _collect(self, future: Future[list[str | MachineTranslationError]], batch: list[str],
                 received: Callable[[Results], None]) -> EngineAuthError | EngineQuotaError | None:
        """Hand one finished batch's completed texts to ``received``; the whole-run error it raised, if any."""
        if future.cancelled():
            return None
        try:
            results: Sequence[str | MachineTranslationError] = future.result()
        except (EngineAuthError, EngineQuotaError) as error:
            return error
        except MachineTranslationError as error:
            results = [error] * len(batch)
        completed = self._assemble(batch, results)
        if completed:
            received(completed)
        return None

    def _assemble(self, batch: list[str], results: Sequence[str | MachineTranslationError],
                  ) -> dict[str, str | MachineTranslationError]:
        """The texts whose every piece is now back: joined and unmasked, or the first error among them."""
        if len(results) != len(batch):
            results = [MachineTranslationError(f"{self.engine.name} returned {len(results)} results for "
                                               f"{len(batch)} texts")] * len(batch)
        completed: dict[str, str | MachineTranslationError] = {}
        for piece, result in zip(batch, results, strict=True):
            for text, index in self.pieces[piece]:
                item = self.texts[text]
                if item.closed:  # an earlier piece of it failed: it is settled for this engine
                    continue
                if isinstance(result, MachineTranslationError):
                    item.error = result
                else:
                    item.results[index] = result
                    if len(item.results) < len(item.pieces):
                        continue
                item.closed = True
                completed[text] = item.error if item.error is not None else self._unmask(item)
        return completed

    def _unmask(self, item: _Text) -> str | MachineTranslationError:
        output = " ".join(item.results[i] for i in range(len(item.pieces)))
        try:
            return self.protector.unmask(item.masked, output)
        except DraftRejected as error:
            return error


class _Batcher:
    """Pieces in order, cut into batches of at most ``size`` pieces and ``chars`` characters."""

    def __init__(self, size: int, chars: int) -> None:
        self.size = size
        self.chars = chars
        self.current: list[str] = []
        self.length = 0

    def add(self, piece: str) -> list[str] | None:
        """Add ``piece``; the batch it closed (the one before it) if it did not fit there."""
        full: list[str] | None = None
        if self.current and (len(self.current) >= self.size or self.length + len(piece) > self.chars):
            full, self.current, self.length = self.current, [], 0
        self.current.append(piece)
        self.length += len(piece)
        return full


__all__ = ["CharacterBudget", "Dispatch", "Results"]
