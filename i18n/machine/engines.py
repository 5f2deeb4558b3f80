"""Machine-translation engines behind one interface; the only module that imports deep-translator.

An :class:`Engine` translates a batch of already-masked texts (see :mod:`i18n.content.protect`) from one language
to another and returns one result per text: the translation, or the :class:`MachineTranslationError`
that explains why there is none. Whole-run problems raise instead: :class:`EngineAuthError` and
:class:`EngineQuotaError` stop the run; :class:`RetryableError` (429, 5xx, timeouts, unreadable answers)
is retried by :func:`call_with_retry` with exponential backoff and jitter, honouring ``Retry-After``.

Engines:

``apertium``
    the local ``apertium`` command, one process per batch in ``-f html`` mode (each start costs ~0.3 s;
    thousands of segments stay aligned as numbered ``<p>`` blocks), with ``-u`` so unknown words are not
    starred. Mode ``eng-cat``, ``eng-cat_valencia``, from :attr:`Language.apertium`.
``apertium-apy``
    Apertium's HTTP service, when ``[machine.apertium-apy] url`` is set.
``libretranslate``, ``google``, ``microsoft``, ``mymemory``
    deep-translator's clients, with its 1.11.4 pitfalls handled here: its ``requests`` calls have no
    timeout and a fresh connection each (:class:`_Http` stands in for the ``requests`` module inside
    deep-translator and adds both); its errors are untyped (``ServerException('ERR_TOO_MANY_REQUESTS')``,
    raw ``requests`` errors, ``AttributeError`` from Microsoft's client after a network error), so the HTTP
    status of the response it received decides what happened; ``translate_batch`` is a sequential loop that
    loses every earlier result on an error, so it is never used (one request per text, sent concurrently
    by the caller); its LibreTranslate and DeepL tables lack Catalan, Basque and Galician, so the language
    code is set directly; LibreTranslate's ``custom_url`` must end in ``/``, and its text travels in the
    query string (so texts over 2,000 characters are split at sentence ends); MyMemory returns its quota
    warning as if it were the translation (``responseStatus`` tells); the translators keep request state
    on the instance, so each thread gets its own copy.
``deepl``
    DeepL's official client (deep-translator's sends ``auth_key`` as a query parameter, which DeepL has
    retired in favour of the ``Authorization`` header).
"""

from __future__ import annotations

import copy
import email.utils
import os
import random
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

import requests

from i18n.content.protect import TokenStyle
from i18n.core.errors import EngineAuthError, EngineQuotaError, MachineTranslationError
from i18n.core.languages import Language

T = TypeVar("T")

#: Names of every engine, in the order ``i18n engines`` lists them.
ENGINE_NAMES = ("apertium", "apertium-apy", "libretranslate", "deepl", "microsoft", "google", "mymemory")


class RetryableError(MachineTranslationError):
    """A failure that may pass: HTTP 429 or 5xx, a timeout, a dropped connection, an unreadable answer."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry: ``delay = min(cap, base * 2**attempt) * jitter`` or Retry-After."""

    attempts: int = 5
    base: float = 0.5
    cap: float = 30.0
    max_retry_after: float = 120.0


def call_with_retry(call: Callable[[], T], policy: RetryPolicy,
                    sleep: Callable[[float], None] = time.sleep) -> T:
    """``call()``, retried on :class:`RetryableError`; the last such error is raised when attempts run out.

    A server's ``Retry-After`` is honoured (up to ``policy.max_retry_after``); otherwise the delay grows
    exponentially with full jitter, so concurrent workers do not retry in lockstep.
    """
    for attempt in range(policy.attempts):
        try:
            return call()
        except RetryableError as error:
            if attempt + 1 >= policy.attempts:
                raise
            if error.retry_after is not None:
                delay = min(error.retry_after, policy.max_retry_after)
            else:
                delay = random.uniform(0.5, 1.0) * min(policy.cap, policy.base * 2 ** attempt)
            sleep(delay)
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """One engine's settings from ``[machine.<name>]`` (defaults filled in by :func:`default_config`)."""

    name: str
    url: str = ""
    api_key_env: str = ""
    region: str = ""
    email_env: str = ""
    concurrency: int = 4
    batch_size: int = 1
    batch_chars: int = 5000
    max_chars: int = 0
    """Longest text one request takes (0: no limit); longer texts are split at sentence ends."""
    timeout: float = 30.0


def default_config(name: str) -> EngineConfig:
    """The settings of engine ``name`` when ``i18n.toml`` says nothing about it."""
    defaults: dict[str, EngineConfig] = {
        "apertium": EngineConfig("apertium", concurrency=max(1, min(4, (os.cpu_count() or 2) // 2)),
                                 batch_size=2000, batch_chars=200_000, timeout=600.0),
        "apertium-apy": EngineConfig("apertium-apy", concurrency=8),
        # deep-translator sends LibreTranslate's text in the query string: long texts are split to keep
        # request lines within what servers accept.
        "libretranslate": EngineConfig("libretranslate", url="https://libretranslate.com/",
                                       api_key_env="LIBRETRANSLATE_API_KEY", concurrency=16, max_chars=2000),
        "deepl": EngineConfig("deepl", api_key_env="DEEPL_AUTH_KEY", concurrency=4, batch_size=50,
                              batch_chars=100_000),
        "microsoft": EngineConfig("microsoft", api_key_env="MICROSOFT_TRANSLATOR_KEY", concurrency=8,
                                  max_chars=50_000),
        "google": EngineConfig("google", concurrency=4, max_chars=5000),
        "mymemory": EngineConfig("mymemory", email_env="MYMEMORY_EMAIL", concurrency=2, max_chars=500),
    }
    return defaults[name]


class Engine:
    """A machine-translation engine for one pair of languages.

    ``name`` is the engine's name in config and reports; ``detail`` names the model or mode for the draft
    comment (``eng-cat``). Subclasses implement :meth:`problem` and :meth:`_translate`.
    """

    name = "engine"
    style = TokenStyle.TEXT

    def __init__(self, config: EngineConfig, source: Language, target: Language) -> None:
        self.config = config
        self.source = source
        self.target = target

    @property
    def detail(self) -> str:
        """The model or language pair, as written in the draft comment after the engine's name."""
        return f"{self.source.engine}-{self.target.engine}"

    @property
    def label(self) -> str:
        """``name detail``: what identifies a draft's origin (and the draft cache's engine key)."""
        return f"{self.name} {self.detail}"

    def problem(self) -> str | None:
        """Why this engine cannot translate this pair here (not installed, no key, no URL), or ``None``."""
        return None

    def translate(self, texts: Sequence[str]) -> list[str | MachineTranslationError]:
        """One result per text: the translation or why there is none.

        Raises :class:`EngineAuthError`/:class:`EngineQuotaError` (stop the run) and
        :class:`RetryableError` (retry the whole batch).
        """
        return self._translate(texts)

    def _translate(self, texts: Sequence[str]) -> list[str | MachineTranslationError]:
        raise NotImplementedError

    def close(self) -> None:
        """Release connections or processes (called once per run)."""

    def _key(self) -> str:
        """The API key from the environment variable the config names ('' when unset)."""
        return os.environ.get(self.config.api_key_env, "") if self.config.api_key_env else ""

    @property
    def missing_key(self) -> bool:
        """Whether the engine needs an API key and its environment variable is unset."""
        return self._missing_key() is not None

    def _missing_key(self) -> str | None:
        if self.config.api_key_env and not self._key():
            return f"set {self.config.api_key_env} to your {self.name} API key"
        return None


# ---------------------------------------------------------------------------------------------------------
# Apertium
# ---------------------------------------------------------------------------------------------------------

_BLOCK = re.compile(r'<p data-i18n="(\d+)">(.*?)</p>', re.DOTALL)


@cache
def apertium_modes() -> frozenset[str]:
    """The modes the local ``apertium`` command offers (empty when it is not installed)."""
    program = shutil.which("apertium")
    if program is None:
        return frozenset()
    try:
        listed = subprocess.run([program, "-l"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(listed.stdout.split())


def apertium_mode(source: Language, target: Language, installed: frozenset[str] = frozenset()) -> str | None:
    """Apertium's mode for the pair (``eng-cat``, ``eng-cat_valencia``), or ``None`` if it has no name.

    Newer pairs use ISO 639-3 codes (``eng-cat``), older ones two letters (``en-gl``): the one among
    ``installed`` wins, else the three-letter name.
    """
    if source.apertium is None or target.apertium is None:
        return None
    variant = target.apertium[len(target.apertium.split("_")[0]):]
    candidates = (f"{source.apertium.split('_')[0]}-{target.apertium}", f"{source.engine}-{target.engine}{variant}")
    return next((mode for mode in candidates if mode in installed), candidates[0])


class ApertiumEngine(Engine):
    """The local ``apertium`` command: one process per batch, HTML format, unknown words unmarked."""

    name = "apertium"
    style = TokenStyle.HTML

    @property
    def detail(self) -> str:
        mode = apertium_mode(self.source, self.target, apertium_modes())
        return mode or f"{self.source.code}-{self.target.code}"

    def problem(self) -> str | None:
        mode = apertium_mode(self.source, self.target)
        if mode is None:
            return f"Apertium has no language pair for {self.source.code} → {self.target.code}"
        if shutil.which("apertium") is None:
            return "the apertium command is not installed (apt-get install apertium apertium-eng-cat)"
        installed = apertium_modes()
        if apertium_mode(self.source, self.target, installed) not in installed:
            package = f"apertium-{mode.split('_')[0]}"
            return (f"Apertium mode {mode} is not installed (apt-get install {package}; "
                    "'apt-cache search apertium-' lists the pairs)")
        return None

    def _translate(self, texts: Sequence[str]) -> list[str | MachineTranslationError]:
        document = "".join(f'<p data-i18n="{i}">{text}</p>\n' for i, text in enumerate(texts))
        try:
            done = subprocess.run(["apertium", "-u", "-f", "html", self.detail], input=document,
                                  capture_output=True, text=True, timeout=self.config.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise RetryableError(f"apertium took over {self.config.timeout:g} s") from None
        except OSError as exc:
            raise MachineTranslationError(f"apertium could not start: {exc}") from None
        if done.returncode != 0:
            raise MachineTranslationError(f"apertium {self.detail} failed: {done.stderr.strip()[:200]}")
        found: dict[int, str] = {}
        for match in _BLOCK.finditer(done.stdout):
            found.setdefault(int(match.group(1)), match.group(2))
        lost = MachineTranslationError("apertium lost this segment's alignment marker")
        return [found.get(i, lost) for i in range(len(texts))]


class ApertiumApyEngine(Engine):
    """Apertium's HTTP service (APy): ``POST {url}/translate`` with ``langpair=eng|cat&q=…&markUnknown=no``."""

    name = "apertium-apy"

    def __init__(self, config: EngineConfig, source: Language, target: Language) -> None:
        super().__init__(config, source, target)
        self._local = threading.local()

    @property
    def detail(self) -> str:
        return apertium_mode(self.source, self.target) or f"{self.source.code}-{self.target.code}"

    def problem(self) -> str | None:
        if not self.config.url:
            return "no URL: set url in [machine.apertium-apy] of i18n.toml"
        if apertium_mode(self.source, self.target) is None:
            return f"Apertium has no language pair for {self.source.code} → {self.target.code}"
        return None

    def _translate(self, texts: Sequence[str]) -> list[str | MachineTranslationError]:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        source, target = self.detail.split("-", 1)
        results: list[str | MachineTranslationError] = []
        for text in texts:
            try:
                response = session.post(self.config.url.rstrip("/") + "/translate", timeout=self.config.timeout,
                                        data={"langpair": f"{source}|{target}", "q": text, "markUnknown": "no"})
            except requests.RequestException as exc:
                raise RetryableError(f"apertium-apy: {type(exc).__name__}") from None
            _raise_for_status(self, response, auth=(401, 403), quota=())
            try:
                answer = response.json()["responseData"]["translatedText"]
            except (ValueError, KeyError, TypeError):
                raise RetryableError("apertium-apy: unreadable response") from None
            results.append(answer if isinstance(answer, str) and answer.strip() else
                           MachineTranslationError("apertium-apy returned an empty translation"))
        return results


# ---------------------------------------------------------------------------------------------------------
# deep-translator engines
# ---------------------------------------------------------------------------------------------------------


class _Http:
    """Stands in for the ``requests`` module inside deep-translator's engine modules.

    deep-translator 1.11.4 calls ``requests.get``/``requests.post`` without a timeout, on a new connection
    each time, and throws the response away when it raises. This adds the engine's timeout, keeps one
    session (connection pool) per thread, and remembers the last response or transport error of the
    calling thread so that :class:`_DeepTranslatorEngine` can tell a 429 from a 403 from a timeout.
    """

    exceptions = requests.exceptions

    def __init__(self) -> None:
        self.local = threading.local()

    def begin(self, timeout: float) -> None:
        self.local.timeout = timeout
        self.local.response = None
        self.local.error = None

    @property
    def response(self) -> requests.Response | None:
        return getattr(self.local, "response", None)

    @property
    def error(self) -> requests.RequestException | None:
        return getattr(self.local, "error", None)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("POST", url, **kwargs)

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        session: requests.Session | None = getattr(self.local, "session", None)
        if session is None:
            session = self.local.session = requests.Session()
        kwargs.setdefault("timeout", getattr(self.local, "timeout", 30.0))
        try:
            response = session.request(method, url, **kwargs)
        except requests.RequestException as exc:
            self.local.error = exc
            raise
        self.local.response = response
        return response


_HTTP = _Http()


@cache
def _deep_translator() -> Mapping[str, Any]:
    """deep-translator's translator classes, with :data:`_HTTP` installed as their ``requests``."""
    from deep_translator import (  # type: ignore[import-untyped]  # lazy: deep-translator is slow to import; only translating needs it
        google,
        libre,
        microsoft,
        mymemory,
    )

    for module in (google, libre, microsoft, mymemory):
        module.requests = _HTTP
    return {
        "google": google.GoogleTranslator, "libretranslate": libre.LibreTranslator,
        "microsoft": microsoft.MicrosoftTranslator, "mymemory": mymemory.MyMemoryTranslator,
    }


def _retry_after(response: requests.Response) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date); ``None`` when absent or unreadable."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:  # a server's malformed header must not turn a 429 into a traceback
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _raise_for_status(engine: Engine, response: requests.Response, *, auth: tuple[int, ...],
                      quota: tuple[int, ...]) -> None:
    """Turn an HTTP failure status into our errors (auth, quota, retryable); 2xx passes."""
    status = response.status_code
    if 200 <= status < 300:
        return
    body = response.text.strip().replace("\n", " ")[:160]
    if status in auth:
        hint = f"set {engine.config.api_key_env} to a valid key" if engine.config.api_key_env else \
            "check the engine's URL and access rules"
        raise EngineAuthError(f"{engine.name} refused the request (HTTP {status}: {body})", hint=hint)
    if status in quota:
        raise EngineQuotaError(f"{engine.name}: quota used up (HTTP {status}: {body})",
                               hint="wait for the quota to renew, raise it, or choose another engine with --engine")
    if status == 429:
        raise RetryableError(f"{engine.name}: too many requests (HTTP 429)", retry_after=_retry_after(response))
    if status >= 500 or status == 408:
        raise RetryableError(f"{engine.name}: server error (HTTP {status})", retry_after=_retry_after(response))
    raise MachineTranslationError(f"{engine.name}: request rejected (HTTP {status}: {body})")


class _DeepTranslatorEngine(Engine):
    """An engine driven through deep-translator's client, one request per text."""

    auth_statuses: tuple[int, ...] = (401, 403)
    quota_statuses: tuple[int, ...] = ()

    def __init__(self, config: EngineConfig, source: Language, target: Language) -> None:
        super().__init__(config, source, target)
        self._local = threading.local()
        self._prototype: Any = None
        self._lock = threading.Lock()

    def _build(self) -> Any:
        """A translator instance for this pair (made once; threads work on copies)."""
        raise NotImplementedError

    def _translator(self) -> Any:
        translator = getattr(self._local, "translator", None)
        if translator is None:
            with self._lock:
                if self._prototype is None:
                    _HTTP.begin(self.config.timeout)
                    try:
                        self._prototype = self._build()
                    except Exception as exc:
                        raise self._classify(exc) from None
            translator = copy.copy(self._prototype)
            translator._url_params = dict(self._prototype._url_params)
            self._local.translator = translator
        return translator

    def _translate(self, texts: Sequence[str]) -> list[str | MachineTranslationError]:
        results: list[str | MachineTranslationError] = []
        for text in texts:
            translator = self._translator()
            _HTTP.begin(self.config.timeout)
            try:
                answer = translator.translate(text)
            except Exception as exc:
                raise self._classify(exc) from None
            self._check(_HTTP.response)
            if not isinstance(answer, str) or not answer.strip():
                results.append(MachineTranslationError(f"{self.name} returned no translation"))
            else:
                results.append(answer)
        return results

    def _check(self, response: requests.Response | None) -> None:
        """Engine-specific checks of a successful response (MyMemory's quota text)."""

    def _classify(self, exc: Exception) -> MachineTranslationError:
        """What deep-translator's untyped exception means, from the HTTP exchange behind it."""
        if isinstance(exc, MachineTranslationError):
            return exc
        transport = _HTTP.error
        if transport is not None:
            kind = "timed out" if isinstance(transport, requests.Timeout) else f"failed ({type(transport).__name__})"
            return RetryableError(f"{self.name}: request {kind}")
        response = _HTTP.response
        if response is None:
            return MachineTranslationError(f"{self.name}: {type(exc).__name__}: {exc}")
        try:
            _raise_for_status(self, response, auth=self.auth_statuses, quota=self.quota_statuses)
        except MachineTranslationError as error:
            return error
        # A 2xx that deep-translator could not read: garbage, an error document, an empty result.
        return RetryableError(f"{self.name}: unreadable response ({type(exc).__name__})")


class LibreTranslateEngine(_DeepTranslatorEngine):
    """LibreTranslate (public or self-hosted ``url``), through deep-translator's client."""

    name = "libretranslate"

    def problem(self) -> str | None:
        if not self.config.url:
            return "no URL: set url in [machine.libretranslate] of i18n.toml"
        if self.config.url == default_config("libretranslate").url:
            return self._missing_key()
        return None

    def _build(self) -> Any:
        url = self.config.url if self.config.url.endswith("/") else self.config.url + "/"
        # deep-translator refuses to start without a key; a self-hosted server without keys ignores it.
        translator = _deep_translator()["libretranslate"](
            source="en", target="es", api_key=self._key() or "none", custom_url=url)
        # Its language table lacks Catalan, Basque and Galician: set the codes directly.
        translator.source = self.source.engine
        translator.target = self.target.engine
        return translator


class GoogleEngine(_DeepTranslatorEngine):
    """Google Translate's public web endpoint, through deep-translator (no key; unofficial)."""

    name = "google"
    auth_statuses = ()

    def _build(self) -> Any:
        return _deep_translator()["google"](source=self.source.engine, target=self.target.engine)


class MicrosoftEngine(_DeepTranslatorEngine):
    """Microsoft Translator (Azure), key from ``api_key_env``, optional ``region``."""

    name = "microsoft"
    auth_statuses = (401,)
    quota_statuses = (403,)

    def problem(self) -> str | None:
        return self._missing_key()

    def _build(self) -> Any:
        return _deep_translator()["microsoft"](source=self.source.engine, target=self.target.engine,
                                               api_key=self._key(), region=self.config.region or None)


class MyMemoryEngine(_DeepTranslatorEngine):
    """MyMemory (free, 500 characters per request; an e-mail address in ``email_env`` raises its quota)."""

    name = "mymemory"
    auth_statuses = ()

    def _build(self) -> Any:
        email_address = os.environ.get(self.config.email_env, "") if self.config.email_env else ""
        translator = _deep_translator()["mymemory"](source="english", target="spanish",
                                                    email=email_address or None)
        translator.source = _mymemory_code(self.source.engine)
        translator.target = _mymemory_code(self.target.engine)
        return translator

    def _check(self, response: requests.Response | None) -> None:
        # MyMemory answers HTTP 200 with its quota warning as the "translation"; responseStatus tells.
        if response is None:
            return
        try:
            data = response.json()
        except ValueError:
            return
        status = str(data.get("responseStatus", "200")) if isinstance(data, dict) else "200"
        text = str(((data.get("responseData") or {}).get("translatedText")) or "") if isinstance(data, dict) else ""
        if status == "429" or "MYMEMORY WARNING" in text.upper():
            raise EngineQuotaError("mymemory: the daily free quota is used up",
                                   hint=f"wait until tomorrow, or set {self.config.email_env or 'MYMEMORY_EMAIL'} "
                                        "to an e-mail address for a larger quota")
        if status != "200":
            detail = data.get("responseDetails", "") if isinstance(data, dict) else ""
            raise MachineTranslationError(f"mymemory: {detail or 'error ' + status}")


def _mymemory_code(code: str) -> str:
    from deep_translator.constants import (  # type: ignore[import-untyped]  # lazy: deep-translator is slow to import; only translating needs it
        MY_MEMORY_LANGUAGES_TO_CODES,
    )

    for value in MY_MEMORY_LANGUAGES_TO_CODES.values():
        if value.split("-")[0] == code:
            return str(value)
    return code


class DeepLEngine(Engine):
    """DeepL through its official client (``Authorization: DeepL-Auth-Key``), batches of up to 50 texts."""

    name = "deepl"

    def __init__(self, config: EngineConfig, source: Language, target: Language) -> None:
        super().__init__(config, source, target)
        self._client: Any = None
        self._lock = threading.Lock()

    def problem(self) -> str | None:
        return self._missing_key()

    def _translate(self, texts: Sequence[str]) -> list[str | MachineTranslationError]:
        import deepl  # lazy: the deepl client is slow to import; only the DeepL engine needs it

        with self._lock:
            if self._client is None:
                deepl.http_client.max_network_retries = 0  # we retry, with Retry-After and jitter
                deepl.http_client.min_connection_timeout = self.config.timeout
                self._client = deepl.Translator(self._key(), server_url=self.config.url or None,
                                                send_platform_info=False)
        try:
            results = self._client.translate_text(list(texts), source_lang=self.source.engine.upper(),
                                                  target_lang=self.target.engine.upper())
        except deepl.AuthorizationException as exc:
            raise EngineAuthError(f"deepl refused the key: {exc}",
                                  hint=f"set {self.config.api_key_env} to a valid DeepL API key") from None
        except deepl.QuotaExceededException as exc:
            raise EngineQuotaError(f"deepl: quota used up: {exc}",
                                   hint="wait for the quota to renew or choose another engine") from None
        except (deepl.TooManyRequestsException, deepl.ConnectionException) as exc:
            raise RetryableError(f"deepl: {exc}") from None
        except deepl.DeepLException as exc:
            raise MachineTranslationError(f"deepl: {exc}") from None
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise RetryableError(f"deepl: unreadable response ({type(exc).__name__})") from None
        return [str(result.text) for result in results]


_ENGINES: dict[str, type[Engine]] = {
    "apertium": ApertiumEngine, "apertium-apy": ApertiumApyEngine, "libretranslate": LibreTranslateEngine,
    "deepl": DeepLEngine, "microsoft": MicrosoftEngine, "google": GoogleEngine, "mymemory": MyMemoryEngine,
}


def make_engine(config: EngineConfig, source: Language, target: Language) -> Engine:
    """The engine ``config.name`` for translating ``source`` → ``target``."""
    return _ENGINES[config.name](config, source, target)


@dataclass(frozen=True, slots=True)
class EngineStatus:
    """One engine, as ``i18n engines`` lists it: configured where, usable or why not."""

    engine: str
    configured: bool
    usable: bool
    languages: tuple[str, ...] = ()
    """The target languages whose engine order names it."""
    reason: str | None = None
    """Why it is not usable (not installed, no key, no URL), or a note."""
    env: tuple[str, ...] = field(default=())
    """Environment variables it reads (never their values)."""
