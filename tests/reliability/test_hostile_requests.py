"""Hostile input on the wire: the simulator answers schemathesis's negative requests, and junk on the token
endpoint, without a 5xx."""

from __future__ import annotations

import json
import time
from collections import Counter

import httpx
import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from ._support import ROOT, SEED, SIZES, STATIC_TOKEN
from .conftest import Simulator
from .figures import Figures
from .hostile import json_values


def _negative_run(base_url: str) -> tuple[Counter[tuple[str, int]], list[str], list[str]]:
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events, from_schema

    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "base-url": base_url,
            "headers": {"Authorization": f"Bearer {STATIC_TOKEN}"},
            "generation": {
                "mode": "negative",
                "max-examples": SIZES.schemathesis_examples,
                "no-shrink": True,
                "database": "none",
            },
            "checks": {"enabled": False, "not_a_server_error": {"enabled": True}},
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": SIZES.schemathesis_coverage},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
            "cache": {"enabled": False},
            "workers": 1,
            "request-timeout": 30,
            "continue-on-failure": True,
            "warnings": False,
        }
    )
    schema = schemathesis.openapi.from_path(str(ROOT / "openapi" / "preview" / "catalog.yaml"), config=config)
    answers: Counter[tuple[str, int]] = Counter()
    failures: list[str] = []
    errors: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            for interaction in recorder.interactions.values():
                if interaction.response is not None:
                    answers[(recorder.label, interaction.response.status_code)] += 1
            for checks in recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failures.append(f"{recorder.label}: {check.name}: {check.failure_info.failure.title}")
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            errors.append(repr(event.exception))
    return answers, failures, errors


def test_schemathesis_negative_requests_get_no_5xx(simulator: Simulator, figures: Figures) -> None:
    pytest.importorskip("schemathesis")
    simulator.control.configure(rate_limit=0)  # schemathesis sends bursts; 429s would only waste examples
    started = time.monotonic()
    answers, failures, errors = _negative_run(simulator.base_url)
    server_errors = {k: v for k, v in answers.items() if k[1] >= 500}
    assert not server_errors and not failures and not errors, (server_errors, failures[:5], errors[:5])
    total = sum(answers.values())
    assert total >= 2 * SIZES.schemathesis_examples  # three operations, max_examples each
    by_class = Counter(f"{status // 100}xx" for (_, status), n in answers.items() for _ in range(n))
    figures.record(
        "schemathesis_negative",
        {
            "requests": total,
            "by_status_class": dict(sorted(by_class.items())),
            "server_errors": 0,
            "max_examples": SIZES.schemathesis_examples,
            "phases": "coverage,fuzzing" if SIZES.schemathesis_coverage else "fuzzing",
            "seed": SEED,
            "wall_s": round(time.monotonic() - started, 1),
        },
    )


TOKEN_CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/json", "text/plain", "", "multipart/form-data"]


def test_token_endpoint_junk_gets_no_5xx(simulator: Simulator) -> None:
    url = simulator.token_url
    answers: Counter[int] = Counter()
    with httpx.Client(timeout=30) as http:

        @seed(SEED)
        @settings(max_examples=max(20, SIZES.hypothesis_examples), deadline=None, database=None)
        @given(
            body=st.one_of(
                st.binary(max_size=300),
                st.dictionaries(
                    st.sampled_from(["grant_type", "client_id", "client_secret", "refresh_token", "x"]),
                    st.text(max_size=20),
                ).map(lambda d: httpx.QueryParams(d).__str__().encode()),
                json_values.map(lambda v: json.dumps(v).encode()),
            ),
            content_type=st.sampled_from(TOKEN_CONTENT_TYPES),
            authorization=st.one_of(st.none(), st.text(max_size=40), st.just("Basic !!!notbase64")),
        )
        def probe(body: bytes, content_type: str, authorization: str | None) -> None:
            headers = {"Content-Type": content_type}
            if authorization is not None and authorization.isascii() and "\n" not in authorization:
                headers["Authorization"] = authorization
            response = http.post(url, content=body, headers=headers)
            answers[response.status_code] += 1
            assert response.status_code < 500, response.text

        probe()
    assert sum(answers.values()) > 0
