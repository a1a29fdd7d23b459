"""LLM judges at the provider layer's concurrency limit, next to a bare asyncio loop.

Workload (issue 4): N judge calls against the fake model server (a separate process) answering
after 50 ms, with a concurrency limit of 50. In the same run and on the same ``AsyncOpenAI``
client, three ways of making them:

- ``bare``: an asyncio loop with a semaphore of 50, each call a forced tool call whose
  arguments are read with ``json.loads``;
- ``judge``: ``assay.scorers.llm_judge`` called N times at once (``asyncio.gather``), the
  provider's limit of 50 doing the throttling (prompt rendering, tool schema, routing, retry
  wrapper, limiter, answer parsing, Score);
- ``eval``: the judge as the scorer of an ``Eval`` of N cases (``max_concurrency=50``, local
  file, case spans written), to see what the runner adds.

The ideal is N / 50 × 50 ms (2.0 s for 2,000). Rounds alternate the order; medians are
reported. Also measured: ``assay.agreement`` over 10,000 pairs with 1,000 resamples.

  .venv/bin/python bench/judges.py                 # 2,000 calls, 3 rounds
  .venv/bin/python bench/judges.py --calls 500 --rounds 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
LIMIT = 50
DELAY = 0.05


def start_fake() -> tuple[subprocess.Popen[str], str]:
    """The fake model server as its own process (so it does not share our GIL)."""
    cmd = [sys.executable, "-m", "assay.testing.fake_llm", "--port", "0", "--delay", str(DELAY)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


async def bare(client: Any, judge: Any, n: int) -> None:
    """The same requests the judge sends, from a plain loop with a semaphore."""
    messages = [
        {"role": "system", "content": "You are a careful, impartial evaluator."},
        {"role": "user", "content": judge.render({"input": "q", "output": "a"})},
    ]
    tool = {"type": "function", "function": judge._tool()}
    forced = {"type": "function", "function": {"name": "submit_verdict"}}
    gate = asyncio.Semaphore(LIMIT)

    async def one() -> str:
        async with gate:
            reply = await client.chat.completions.create(
                model="gpt-4o-mini", messages=messages, tools=[tool], tool_choice=forced,
                temperature=0,
            )  # fmt: skip
        call = reply.choices[0].message.tool_calls[0]
        return str(json.loads(call.function.arguments)["choice"])

    choices = await asyncio.gather(*(one() for _ in range(n)))
    assert set(choices) == {"polite"}


async def judged(judge: Any, n: int) -> None:
    scores = await asyncio.gather(*(judge(input="q", output="a") for _ in range(n)))
    assert {s.value for s in scores} == {1.0}


async def evaluated(judge: Any, n: int, folder: str) -> None:
    from assay.evals import run_eval

    result = await run_eval(
        "bench-judges", data=[{"input": f"q{i}"} for i in range(n)], task=lambda q: "a",
        scores=[judge], max_concurrency=LIMIT, local_dir=folder, quiet=True,
    )  # fmt: skip
    assert result.summary["tone"].count == n, result.summary


async def rounds(url: str, n: int, count: int) -> dict[str, list[float]]:
    from openai import AsyncOpenAI

    from assay import llm
    from assay.scorers import llm_judge

    client = AsyncOpenAI(base_url=url + "/v1", api_key="sk-fake", max_retries=0)
    llm.configure_provider("openai", client=client, concurrency=LIMIT)
    judge = llm_judge(
        "tone", "Is this polite?\n{{input}}\n{{output}}", {"polite": 1.0, "rude": 0.0},
        model="gpt-4o-mini",
    )  # fmt: skip
    folder = tempfile.mkdtemp(prefix="assay-bench-judges-")
    ways: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {
        "bare": lambda: bare(client, judge, n),
        "judge": lambda: judged(judge, n),
        "eval": lambda: evaluated(judge, n, folder),
    }
    await bare(client, judge, LIMIT)  # warm up the connections
    times: dict[str, list[float]] = {k: [] for k in ways}
    for r in range(count):
        order = list(ways) if r % 2 == 0 else list(reversed(ways))
        for name in order:
            start = time.perf_counter()
            await ways[name]()
            times[name].append(time.perf_counter() - start)
    await client.close()
    return times


def agreement_speed() -> dict[str, float]:
    import numpy as np

    from assay.scorers import agreement

    rng = np.random.default_rng(0)
    x = rng.normal(size=10_000)
    y = x + rng.normal(size=10_000)
    a, b = np.where(x > 0, "yes", "no").tolist(), np.where(y > 0, "yes", "no").tolist()
    agreement(x[:50].tolist(), y[:50].tolist())
    out = {}
    for name, (p, q) in {"numeric": (x.tolist(), y.tolist()), "categorical": (a, b)}.items():
        start = time.perf_counter()
        agreement(p, q, n_boot=1000)
        out[name] = time.perf_counter() - start
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    proc, url = start_fake()
    try:
        times = asyncio.run(rounds(url, args.calls, args.rounds))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    ideal = args.calls / LIMIT * DELAY
    med = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"{args.calls} judge calls, limit {LIMIT}, {DELAY * 1000:.0f} ms each; ideal {ideal:.2f} s"
    )
    for name, value in med.items():
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        print(f"RESULT {name:<6} median {value:.3f} s  ({runs})  x{value / med['bare']:.3f} bare")
    speed = agreement_speed()
    for name, value in speed.items():
        print(f"RESULT agreement {name} 10k pairs x 1000 resamples: {value * 1000:.0f} ms")
    out = os.path.join(HERE, "out")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "judges.json"), "w") as fh:
        json.dump({"calls": args.calls, "times": times, "agreement_s": speed}, fh, indent=2)


if __name__ == "__main__":
    main()
