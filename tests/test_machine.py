"""Engines: deep-translator's clients against a fake server or request mocks, Apertium for real."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
import responses

from i18n.content.protect import Protector, TokenStyle
from i18n.core.errors import EngineAuthError, EngineQuotaError, MachineTranslationError
from i18n.core.languages import parse_language
from i18n.machine.engines import (
    ApertiumEngine,
    Engine,
    RetryableError,
    RetryPolicy,
    apertium_mode,
    call_with_retry,
    default_config,
    make_engine,
)
from tests.fake_libretranslate import Behaviour, fake_translation, serve
from tests.programs import require_program

EN, CA, ES = parse_language("en"), parse_language("ca"), parse_language("es")
VALENCIAN = parse_language("ca-valencia")


def libre(url: str, timeout: float = 30.0) -> Engine:
    config = replace(default_config("libretranslate"), url=url, timeout=timeout)
    return make_engine(config, EN, CA)


# -- retries ------------------------------------------------------------------------------------------


def test_retry_honours_retry_after_then_succeeds() -> None:
    slept: list[float] = []
    calls: Iterator[str | RetryableError] = iter([RetryableError("429", retry_after=7.0), RetryableError("500"),
                                                  "done"])

    def call() -> str:
        value = next(calls)
        if isinstance(value, Exception):
            raise value
        return value

    assert call_with_retry(call, RetryPolicy(attempts=3, base=1.0), sleep=slept.append) == "done"
    assert slept[0] == 7.0
    assert 1.0 <= slept[1] <= 2.0  # second attempt: base * 2**1 = 2 s, jittered down to half of it at most
    assert len(slept) == 2


def test_retry_gives_up_with_the_last_error_and_caps_retry_after() -> None:
    slept: list[float] = []

    def call() -> str:
        raise RetryableError("busy", retry_after=10_000)

    with pytest.raises(RetryableError, match="busy"):
        call_with_retry(call, RetryPolicy(attempts=3, max_retry_after=5.0), sleep=slept.append)
    assert slept == [5.0, 5.0]


def test_retry_does_not_retry_auth_errors() -> None:
    count = 0

    def call() -> str:
        nonlocal count
        count += 1
        raise EngineAuthError("no")

    with pytest.raises(EngineAuthError):
        call_with_retry(call, RetryPolicy(attempts=5), sleep=lambda _: None)
    assert count == 1


# -- LibreTranslate through deep-translator's own client, against the fake server ---------------------


def test_libretranslate_translates_catalan_and_accepts_url_without_slash() -> None:
    with serve() as server:
        engine = libre(server.url.rstrip("/"))  # deep-translator needs the slash; we add it
        assert engine.translate(["Hello ⟦0⟧ world"]) == [fake_translation("Hello ⟦0⟧ world")]
        assert server.behaviour.requests == 1


def test_libretranslate_429_carries_retry_after_and_a_retry_succeeds() -> None:
    with serve(Behaviour(rate_limited=1, retry_after="3")) as server:
        engine = libre(server.url)
        with pytest.raises(RetryableError) as caught:
            engine.translate(["Hello"])
        assert caught.value.retry_after == 3.0
        slept: list[float] = []
        result = call_with_retry(lambda: engine.translate(["Hello"]), RetryPolicy(), sleep=slept.append)
        assert result == ["ca:HELLO"] and slept == []


@pytest.mark.parametrize("behaviour", [Behaviour(errors=1), Behaviour(garbage=1)], ids=["500", "garbage"])
def test_libretranslate_server_errors_and_garbage_are_retryable(behaviour: Behaviour) -> None:
    with serve(behaviour) as server:
        engine = libre(server.url)
        with pytest.raises(RetryableError):
            engine.translate(["Hello"])
        assert call_with_retry(lambda: engine.translate(["Hello"]), RetryPolicy(), sleep=lambda _: None) == [
            "ca:HELLO"]


def test_libretranslate_requests_time_out() -> None:
    with serve(Behaviour(latency=1.0)) as server:
        engine = libre(server.url, timeout=0.2)
        started = time.monotonic()
        with pytest.raises(RetryableError, match="timed out"):
            engine.translate(["Hello"])
        assert time.monotonic() - started < 0.9


def test_libretranslate_bad_key_stops_with_the_variable_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", "wrong")
    with serve(Behaviour(api_key="right")) as server:
        engine = libre(server.url)
        with pytest.raises(EngineAuthError) as caught:
            engine.translate(["Hello"])
        assert "LIBRETRANSLATE_API_KEY" in str(caught.value)
        monkeypatch.setenv("LIBRETRANSLATE_API_KEY", "right")
        assert libre(server.url).translate(["Hello"]) == ["ca:HELLO"]


def test_libretranslate_connection_refused_is_retryable() -> None:
    with serve() as server:
        url = server.url
    with pytest.raises(RetryableError):
        libre(url).translate(["Hello"])


def test_public_libretranslate_needs_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIBRETRANSLATE_API_KEY", raising=False)
    engine = make_engine(default_config("libretranslate"), EN, CA)
    assert engine.problem() == "set LIBRETRANSLATE_API_KEY to your libretranslate API key"


# -- engines whose URL cannot be set: request mocks -----------------------------------------------------


@responses.activate
def test_google_translates_and_maps_429() -> None:
    url = "https://translate.google.com/m"
    responses.add(responses.GET, url, body='<div class="result-container">Hola món</div>')
    responses.add(responses.GET, url, status=429, headers={"Retry-After": "2"})
    engine = make_engine(default_config("google"), EN, CA)
    assert engine.translate(["Hello world"]) == ["Hola món"]
    with pytest.raises(RetryableError) as caught:
        engine.translate(["Hello world"])
    assert caught.value.retry_after == 2.0


@responses.activate
def test_mymemory_quota_warning_is_never_a_translation() -> None:
    warning = ("MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. NEXT AVAILABLE IN 10 HOURS "
               "VISIT HTTPS://MYMEMORY.TRANSLATED.NET/DOC/USAGELIMITS.PHP TO TRANSLATE MORE")
    responses.add(responses.GET, "http://api.mymemory.translated.net/get",
                  json={"responseData": {"translatedText": warning}, "responseStatus": 429, "matches": []})
    engine = make_engine(default_config("mymemory"), EN, CA)
    with pytest.raises(EngineQuotaError, match="quota") as caught:
        engine.translate(["Hello"])
    assert "MYMEMORY_EMAIL" in str(caught.value)


@responses.activate
def test_mymemory_sends_catalan_and_reads_the_translation() -> None:
    responses.add(responses.GET, "http://api.mymemory.translated.net/get",
                  json={"responseData": {"translatedText": "Hola"}, "responseStatus": 200, "matches": []})
    engine = make_engine(default_config("mymemory"), EN, CA)
    assert engine.translate(["Hello"]) == ["Hola"]
    assert "langpair=en-GB%7Cca-ES" in (responses.calls[0].request.url or "")
    assert engine.config.max_chars == 500


@responses.activate
def test_microsoft_bad_key_and_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROSOFT_TRANSLATOR_KEY", "k")
    responses.add(responses.GET, "https://api.cognitive.microsofttranslator.com/languages",
                  json={"translation": {"ca": {"name": "Catalan"}, "en": {"name": "English"}}})
    api = "https://api.cognitive.microsofttranslator.com/translate"
    responses.add(responses.POST, api, status=401, json={"error": {"code": 401000, "message": "bad key"}})
    responses.add(responses.POST, api, status=403, json={"error": {"code": 403001, "message": "quota"}})
    responses.add(responses.POST, api, json=[{"translations": [{"text": "Hola", "to": "ca"}]}])
    engine = make_engine(default_config("microsoft"), EN, CA)
    with pytest.raises(EngineAuthError, match="microsoft") as caught:
        engine.translate(["Hello"])
    assert "MICROSOFT_TRANSLATOR_KEY" in str(caught.value)
    with pytest.raises(EngineQuotaError):
        engine.translate(["Hello"])
    assert engine.translate(["Hello"]) == ["Hola"]


@responses.activate
def test_deepl_uses_the_official_client_with_header_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPL_AUTH_KEY", "secret:fx")
    api = "https://api-free.deepl.com/v2/translate"
    responses.add(responses.POST, api, json={"translations": [
        {"text": "Hola", "detected_source_language": "EN", "billed_characters": 5},
        {"text": "Món", "detected_source_language": "EN", "billed_characters": 5}]})
    responses.add(responses.POST, api, status=403, json={"message": "Wrong key"})
    responses.add(responses.POST, api, status=456, json={"message": "Quota exceeded"})
    engine = make_engine(default_config("deepl"), EN, CA)
    assert engine.translate(["Hello", "World"]) == ["Hola", "Món"]
    request = responses.calls[0].request
    assert request.headers["Authorization"] == "DeepL-Auth-Key secret:fx"
    assert "auth_key" not in (request.url or "") and b"auth_key" not in (request.body or b"")  # type: ignore[operator]
    with pytest.raises(EngineAuthError, match="deepl") as caught:
        engine.translate(["Hello"])
    assert "DEEPL_AUTH_KEY" in str(caught.value)
    with pytest.raises(EngineQuotaError):
        engine.translate(["Hello"])


def test_engines_without_keys_say_which_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, variable in (("deepl", "DEEPL_AUTH_KEY"), ("microsoft", "MICROSOFT_TRANSLATOR_KEY")):
        monkeypatch.delenv(variable, raising=False)
        assert variable in (make_engine(default_config(name), EN, CA).problem() or "")


@responses.activate
def test_apertium_apy_over_http() -> None:
    config = replace(default_config("apertium-apy"), url="http://apy.example/")
    responses.add(responses.POST, "http://apy.example/translate",
                  json={"responseData": {"translatedText": "Hola món"}, "responseStatus": 200})
    responses.add(responses.POST, "http://apy.example/translate", status=503)
    engine = make_engine(config, EN, VALENCIAN)
    assert engine.detail == "eng-cat_valencia"
    assert engine.translate(["Hello world"]) == ["Hola món"]
    assert "langpair=eng%7Ccat_valencia" in str(responses.calls[0].request.body)
    with pytest.raises(RetryableError):
        engine.translate(["Hello world"])
    assert make_engine(default_config("apertium-apy"), EN, CA).problem() is not None


# -- Apertium, for real ------------------------------------------------------------------------------


def test_apertium_one_process_keeps_many_segments_aligned() -> None:
    require_program("apertium")
    engine = make_engine(default_config("apertium"), EN, CA)
    assert isinstance(engine, ApertiumEngine) and engine.problem() is None
    protector = Protector()
    sources = [f"Paragraph {i}: the *red* car of %(name)s is at https://example.org/{i}." for i in range(500)]
    masked = [protector.mask(s, TokenStyle.HTML) for s in sources]
    started = time.monotonic()
    results = engine.translate([m.text for m in masked])
    assert time.monotonic() - started < 20
    drafts = [protector.unmask(m, r) for m, r in zip(masked, results, strict=True) if isinstance(r, str)]
    assert len(drafts) == 500
    for i, draft in enumerate(drafts):
        assert f"https://example.org/{i}" in draft and "%(name)s" in draft and draft.count("*") == 2


def test_apertium_valencian_mode_and_missing_pair() -> None:
    require_program("apertium")
    engine = make_engine(default_config("apertium"), EN, VALENCIAN)
    assert engine.detail == "eng-cat_valencia" and engine.problem() is None
    assert isinstance(engine.translate(["The house"])[0], str)
    problem = make_engine(default_config("apertium"), EN, parse_language("ja")).problem()
    assert problem is not None and "no language pair" in problem


def test_apertium_unknown_mode_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    require_program("apertium")
    engine = make_engine(default_config("apertium"), EN, ES)
    if engine.problem() is None:
        pytest.skip("apertium-eng-spa is installed here")
    assert "apt-get install apertium-eng-spa" in (engine.problem() or "")


def test_engine_errors_are_typed() -> None:
    assert issubclass(RetryableError, MachineTranslationError)
    assert issubclass(EngineAuthError, MachineTranslationError)


@responses.activate
def test_an_empty_answer_is_an_error_never_a_translation() -> None:
    config = replace(default_config("apertium-apy"), url="http://apy.example/")
    responses.add(responses.POST, "http://apy.example/translate",
                  json={"responseData": {"translatedText": "  "}, "responseStatus": 200})
    (result,) = make_engine(config, EN, CA).translate(["Hello"])
    assert isinstance(result, MachineTranslationError) and "empty translation" in str(result)


@responses.activate
@pytest.mark.parametrize(("header", "expected"), [("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", None)])
def test_a_retry_after_date_or_garbage_is_read_without_a_traceback(header: str, expected: float | None) -> None:
    responses.add(responses.GET, "https://translate.google.com/m", status=429, headers={"Retry-After": header})
    with pytest.raises(RetryableError) as caught:
        make_engine(default_config("google"), EN, CA).translate(["Hello"])
    assert caught.value.retry_after == expected


def test_apertium_mode_names_old_and_new_pairs() -> None:
    galician = parse_language("gl")
    assert apertium_mode(EN, CA) == "eng-cat"
    assert apertium_mode(EN, VALENCIAN) == "eng-cat_valencia"
    assert apertium_mode(EN, galician) == "eng-glg"
    assert apertium_mode(EN, galician, frozenset({"en-gl"})) == "en-gl"  # an older two-letter pair
    assert apertium_mode(EN, parse_language("ja")) is None
