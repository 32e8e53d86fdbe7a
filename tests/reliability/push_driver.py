"""A push in a process of its own, for the SIGKILL trials: ``python push_driver.py FEED OUT_DIR [options]``.

Credentials and URL come from ``CRITEO_CLIENT_ID``, ``CRITEO_CLIENT_SECRET`` and ``CRITEO_API_URL`` (never
from the command line, where ``ps`` would show them). Every logger runs at DEBUG on stderr. Each token the
SDK receives is appended to ``OUT_DIR/tokens.txt`` as it arrives (the process may be killed at any
moment), so that the test can look for it everywhere else.

``--via api`` (default) calls ``CatalogClient.push``; ``--via cli`` runs ``criteo-catalog push`` in this
process (the real command group). Exit code: 0 all accepted, 1 some products rejected, 3 the push stopped.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any


def _install_token_spy(path: Path) -> None:
    import httpx

    from criteo_catalog_sdk.auth import ClientCredentialsAuth

    original = ClientCredentialsAuth._parse_token_response

    def spy(self: ClientCredentialsAuth, response: httpx.Response, sent_at: float) -> Any:
        try:
            data = json.loads(response.content)
        except ValueError:
            data = None
        if isinstance(data, dict):
            with open(path, "a", encoding="utf-8") as f:
                for key in ("access_token", "refresh_token"):
                    if isinstance(data.get(key), str):
                        f.write(data[key] + "\n")
                f.flush()
        return original(self, response, sent_at)

    ClientCredentialsAuth._parse_token_response = spy  # type: ignore[method-assign]


def _cli_group() -> Any:
    from criteo_catalog_sdk.cli import main

    return main, "criteo-catalog"


#: The push settings the driver forwards, to ``client.push`` as keywords or to the CLI as options.
SETTINGS = ("batch_size", "concurrency", "rate_limit")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("feed")
    parser.add_argument("out", type=Path)
    parser.add_argument("--state", required=True)
    parser.add_argument("--merchant-id", type=int, required=True)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rate-limit", type=float, default=1500.0)
    parser.add_argument("--first-poll", type=float, default=0.2)
    parser.add_argument("--delta", action="store_true")
    parser.add_argument("--delete-missing", action="store_true")
    parser.add_argument("--via", choices=("api", "cli"), default="api")
    args = parser.parse_args()

    logging.basicConfig(
        level=logging.DEBUG, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for name in ("criteo_catalog_sdk", "httpx", "httpcore", "asyncio"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    args.out.mkdir(parents=True, exist_ok=True)
    _install_token_spy(args.out / "tokens.txt")

    if args.via == "cli":
        group, how = _cli_group()
        command = ["push", args.feed, "--merchant-id", str(args.merchant_id), "--state", args.state, "--json"]
        for name in SETTINGS:
            command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
        command += ["--first-poll", str(args.first_poll)]
        command += ["--report-out", str(args.out / "result.json")]
        command += ["--delta"] * args.delta + ["--delete-missing"] * args.delete_missing
        print(f"driver: running {how} {' '.join(command)}", file=sys.stderr)
        try:
            group.main(args=command, prog_name="criteo-catalog", standalone_mode=True)
        except SystemExit as exc:
            return int(exc.code or 0)
        return 0

    from criteo_catalog_sdk import CatalogClient, PollPolicy
    from criteo_catalog_sdk.push.feeds import read_feed
    from criteo_catalog_sdk.push.pipeline import PushAborted

    polling = PollPolicy(initial_delay=args.first_poll, multiplier=1.5, max_delay=1.0)
    with CatalogClient.from_env(polling=polling) as client:
        try:
            result = client.push(
                read_feed(args.feed),
                merchant_id=args.merchant_id,
                state=args.state,
                delta=args.delta,
                delete_missing=args.delete_missing,
                **{name: getattr(args, name) for name in SETTINGS},
            )
        except PushAborted as exc:
            print(json.dumps({"aborted": str(exc)}))
            return 3
        with result:
            result.to_json(args.out / "result.json")
            result.to_csv(args.out / "result.csv")
            print(
                json.dumps(
                    {
                        "summary": result.summary.to_dict(),
                        "operations": len(result.operations),
                        "resumed": result.resumed,
                        "repr": repr(result),
                        "client": repr(client),
                    }
                )
            )
            return 0 if result.summary.rejected == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
