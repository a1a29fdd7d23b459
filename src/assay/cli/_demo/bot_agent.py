"""The support bot served for the playground: ``assay.serve_agent`` over the demo's bot.

Run by ``assay demo`` as ``python -m assay.cli._demo.bot_agent --llm-url URL`` with
``ASSAY_API_URL`` and ``ASSAY_PROJECT`` set; the first line of output is the endpoint's URL,
which the demo registers as the agent ``support-bot``. In the playground a domain expert asks
it a question as a customer would, and may pin the ``reply`` prompt to another label or version
through the ``prompts`` parameter (``{"reply": "staging"}``) to try a new wording on the real
agent, tools included, before moving ``production``.
"""

from __future__ import annotations

import argparse
import signal
import threading

import assay
from assay.cli._demo.agent import SupportBot
from assay.cli._demo.questions import Question

DEFAULTS = {"prompts": {"reply": "production"}, "intent": "order_status"}


def main(argv: list[str] | None = None) -> None:
    """Serve the bot until stopped (SIGTERM or Ctrl-C)."""
    parser = argparse.ArgumentParser(prog="python -m assay.cli._demo.bot_agent")
    parser.add_argument("--llm-url", required=True, help="OpenAI-compatible base URL (…/v1)")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    assay.init()
    bot = SupportBot(args.llm_url, refund_url=None)

    def support_bot(question: str, customer_id: str = "C-1001") -> str:
        """Answer one customer question (refunds go to a specialist here)."""
        intent = str(assay.agent_parameters().get("intent") or "order_status")
        asked = Question(question, "u-playground", "s-playground", customer_id or None, intent)
        return bot.answer(asked)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server = assay.serve_agent(support_bot, parameters=DEFAULTS, port=args.port, block=False)
    print(server.url, flush=True)
    stop.wait()
    server.close()
    assay.shutdown()


if __name__ == "__main__":
    main()
