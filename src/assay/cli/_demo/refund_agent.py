"""The refund sub-agent: an HTTP service in its own process that joins the caller's trace.

``POST /refund`` with ``{"order": {...}, "reason": str, "plan": str}`` answers
``{"order_id", "approved", "amount", "note"}``. The caller's ``traceparent`` header is made
current with ``assay.extract``, so the spans made here are children of the caller's span.
Run as ``python -m assay.cli._demo.refund_agent --llm-url URL [--port 0]``; the first line of
output is the service URL.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any

import openai

import assay

AUTO_APPROVE_LIMIT = 150.0


@assay.traced(kind="tool")
def check_eligibility(order: dict[str, Any]) -> dict[str, Any]:
    """Refund rules: delivered or processing orders, under the auto-approve limit."""
    eligible = order.get("status") in ("delivered", "processing")
    within = float(order.get("total", 0)) <= AUTO_APPROVE_LIMIT
    return {"eligible": eligible, "auto_approve": eligible and within}


@assay.traced(kind="tool")
def issue_refund(order_id: str, amount: float) -> dict[str, Any]:
    """Book the refund (in the demo: only a confirmation number)."""
    return {"order_id": order_id, "amount": amount, "confirmation": f"RF-{order_id}-01"}


class RefundAgent:
    """Decides on refunds with one LLM call and the tools above."""

    def __init__(self, llm_url: str) -> None:
        self.client = assay.wrap_openai(openai.OpenAI(base_url=llm_url, api_key="demo-key"))

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        order = request["order"]
        with assay.span("refund-agent", kind="agent", input=request) as s:
            rules = check_eligibility(order)
            note = self.client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[
                    {"role": "system", "content": "You decide refunds; explain in one sentence."},
                    {"role": "user", "content": f"Refund reason noted: {request['reason']}"},
                ],
                max_tokens=80,
            )
            result: dict[str, Any] = {
                "order_id": order["order_id"],
                "approved": rules["auto_approve"],
                "amount": order["total"] if rules["auto_approve"] else 0.0,
                "note": note.choices[0].message.content,
            }
            if rules["auto_approve"]:
                result["booking"] = issue_refund(order["order_id"], float(order["total"]))
            else:
                s.log(tags=["needs-human"])
            s.log(output=result)
            return result


def make_handler(agent: RefundAgent) -> type[BaseHTTPRequestHandler]:
    """The request handler class bound to ``agent``."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
            with assay.extract(dict(self.headers.items())):
                answer = agent.handle(body)
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve refunds until SIGTERM or SIGINT; spans are flushed on the way out."""
    parser = argparse.ArgumentParser(prog="python -m assay.cli._demo.refund_agent")
    parser.add_argument("--llm-url", required=True, help="OpenAI-compatible base URL (…/v1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    args = parser.parse_args(argv)
    assay.init()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(RefundAgent(args.llm_url)))
    sys.stdout.write(f"http://127.0.0.1:{httpd.server_address[1]}\n")
    sys.stdout.flush()
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        assay.flush(timeout=10)


if __name__ == "__main__":
    main()
