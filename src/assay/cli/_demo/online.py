"""The demo's online evaluation: a rule judging production conversations, and an alert.

Run by ``assay demo`` as ``python -m assay.cli._demo.online`` with ``ASSAY_API_URL`` set, after
the judge of :mod:`assay.cli._demo.judges` exists. It stores a rule that runs the helpfulness
judge on every support-bot conversation as it arrives (sending doubtful ones to the review
queue), backfills it over the conversations already stored, waits until the server's worker
has scored them, and adds an alert on the error rate, so the Online, Jobs and Alerts pages have
something to show.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from assay.cli._demo.judges import QUEUE_NAME
from assay.evals._api import ApiClient, q

RULE_NAME = "helpfulness-live"
RULE: dict[str, Any] = {
    "name": RULE_NAME,
    "description": "Judge every conversation's final answer; people review the doubtful ones.",
    "filter": {"root_only": True, "name": "support-bot"},
    "sample_rate": 1.0,
    "scorers": [{"judge": "helpfulness"}],
    "route": {"queue": QUEUE_NAME, "score_name": "helpfulness", "below": 0.5},
}
ALERT: dict[str, Any] = {
    "name": "errors-above-5pct",
    "description": "More than one conversation in twenty fails.",
    "metric": "error_rate",
    "operator": "above",
    "threshold": 0.05,
    "window_seconds": 24 * 3600,
}


def wait_for_job(api: ApiClient, project: str, job_id: str, *, timeout: float = 120) -> Any:
    """The job once it is done (or dead, or cancelled), polled every 0.2 s."""
    deadline = time.monotonic() + timeout
    while True:
        job = api.get(f"/projects/{q(project)}/jobs/{q(job_id)}")
        if job["status"] in ("done", "dead", "cancelled") or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def wait_until_scored(api: ApiClient, project: str, *, timeout: float = 120) -> Any:
    """The rule's stats once no job of it is waiting or running."""
    deadline = time.monotonic() + timeout
    while True:
        stats = api.get(f"/projects/{q(project)}/rules/{q(RULE_NAME)}")["stats"]
        idle = not stats["queued_jobs"] and not stats["running_jobs"]
        if idle or time.monotonic() > deadline:
            return stats
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> None:
    """Store the rule, backfill it, add the alert, and print what happened."""
    parser = argparse.ArgumentParser(prog="python -m assay.cli._demo.online")
    parser.add_argument("--project", default="support-bot", help="Project of the traces")
    args = parser.parse_args(argv)
    base = f"/projects/{q(args.project)}"
    api = ApiClient()
    try:
        api.post(f"{base}/rules", RULE)
        now = datetime.now(UTC)
        window = {"start": (now - timedelta(days=1)).isoformat(), "end": now.isoformat()}
        backfill = api.post(f"{base}/rules/{q(RULE_NAME)}/backfills", window)
        estimate = backfill["estimate"]
        job = wait_for_job(api, args.project, backfill["job"]["id"])
        stats = wait_until_scored(api, args.project)
        api.post(f"{base}/alerts", ALERT)
    finally:
        api.close()
    print(
        f"  rule {RULE_NAME!r}: backfill of {estimate['matching_spans']} conversations "
        f"{job['status']}, {stats['scored_spans']} scored by the server's worker",
        flush=True,
    )


if __name__ == "__main__":
    main()
