"""Programs the integration tests run as subprocesses: ``python -m tests.integration._agents ROLE``.

Each role uses only the public SDK (or plain OpenTelemetry), prints progress to stderr and its
result as one JSON line on stdout (services print their URL first instead).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any

import assay


def emit(value: Any) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------- the snippet


_llm: dict[str, Any] = {}


@assay.traced(kind="tool")
def search_orders(customer_id: str) -> list[dict[str, Any]]:
    if not customer_id.startswith("C-"):
        raise LookupError(f"unknown customer {customer_id!r}")
    return [{"order_id": "1042", "status": "packed"}]


@assay.traced(kind="agent")
async def answer(question: str) -> str:
    with assay.span("plan", kind="task", input=question) as s:
        with contextlib.suppress(LookupError):
            search_orders("guest")
        orders = search_orders("C-7")
        s.log(output=f"found {len(orders)} order", metadata={"step": 1}, tags=["beta"])
    reply = _llm["client"].chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": question}],
        temperature=0.2,
    )
    return str(reply.choices[0].message.content)


def snippet(api_url: str, project: str) -> None:
    """The instrumentation snippet of the README against a scripted fake model."""
    import openai

    from assay.testing import FakeLLMServer, FakeReply

    with FakeLLMServer() as llm:
        llm.script(
            FakeReply(
                content="Order 1042 ships tomorrow.",
                usage={"prompt_tokens": 30, "completion_tokens": 8},
            )
        )
        assay.init(project=project, api_url=api_url)
        _llm["client"] = assay.wrap_openai(openai.OpenAI(base_url=llm.openai_base_url, api_key="k"))
        output = asyncio.run(answer("Where is my order?"))
        assay.flush(timeout=30)
    emit({"output": output})


# --------------------------------------------------------------------------- distributed


def subagent(name: str, next_url: str = "") -> None:
    """An HTTP sub-agent: joins the caller's trace, optionally calls the next agent."""
    import httpx

    assay.init()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            with assay.extract(dict(self.headers.items())):  # noqa: SIM117
                with assay.span(name, kind="agent", input=body) as span:
                    result: dict[str, Any] = {"agent": name, "handled": body["task"]}
                    if next_url:
                        with assay.span(f"{name} calls next", kind="tool"):
                            headers: dict[str, str] = {}
                            assay.inject(headers)
                            reply = httpx.post(
                                next_url, json={"task": body["task"] + "/sub"}, headers=headers
                            )
                            result["next"] = reply.json()
                    span.log(output=result)
            assay.flush(timeout=10)
            data = json.dumps(result).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"http://127.0.0.1:{httpd.server_address[1]}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        httpd.serve_forever()


def supervisor(url_a: str, url_b: str) -> None:
    """Calls agent A (which calls B) and then B directly, all in one trace."""
    import httpx

    assay.init()
    with assay.span("supervisor", kind="agent", input={"goal": "refund order 7"}) as root:
        answers = []
        for label, url in (("research", url_a), ("refund", url_b)):
            with assay.span(f"delegate {label}", kind="tool"):
                headers = {"x-request": label}
                assay.inject(headers)
                answers.append(httpx.post(url, json={"task": label}, headers=headers).json())
        root.log(output={"answers": answers})
    assay.flush(timeout=30)
    emit({"trace_id": root.trace_id, "answers": answers})


# --------------------------------------------------------------------------- OpenTelemetry


def _otel_provider(api_url: str, project: str) -> Any:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"service.name": "otel-app", "assay.project": project})
    provider = TracerProvider(resource=resource)
    exporter = OTLPSpanExporter(endpoint=f"{api_url}/v1/traces")
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


LLM_ATTRIBUTES = {
    "openinference.span.kind": "LLM",
    "llm.model_name": "gpt-4o-mini",
    "llm.input_messages.0.message.role": "system",
    "llm.input_messages.0.message.content": "Be brief.",
    "llm.input_messages.1.message.role": "user",
    "llm.input_messages.1.message.content": "What is the capital of France?",
    "llm.output_messages.0.message.role": "assistant",
    "llm.output_messages.0.message.content": "Paris.",
    "llm.token_count.prompt": 21,
    "llm.token_count.completion": 3,
    "llm.token_count.total": 24,
}


def otel(api_url: str, project: str) -> None:
    """A chain with a retriever and an LLM span, sent by the OpenTelemetry SDK only."""
    provider = _otel_provider(api_url, project)
    tracer = provider.get_tracer("otel-app")
    with tracer.start_as_current_span("qa-chain") as root:
        root.set_attribute("openinference.span.kind", "CHAIN")
        root.set_attribute("input.value", "What is the capital of France?")
        with tracer.start_as_current_span("retrieve") as r:
            r.set_attribute("openinference.span.kind", "RETRIEVER")
        with tracer.start_as_current_span("llm") as llm:
            llm.set_attributes(LLM_ATTRIBUTES)
            llm.set_attribute("app.custom", "kept")
        root.set_attribute("output.value", "Paris.")
        trace_id = format(root.get_span_context().trace_id, "032x")
    provider.shutdown()
    emit({"trace_id": trace_id})


def mixed(api_url: str, project: str) -> None:
    """assay span → OTel span → assay span, and OTel root → assay child, in one process."""
    from opentelemetry import trace

    provider = _otel_provider(api_url, project)
    trace.set_tracer_provider(provider)
    tracer = trace.get_tracer("mixed")
    assay.init(project=project, api_url=api_url)
    with assay.span("assay-root", kind="agent") as root:  # noqa: SIM117
        with tracer.start_as_current_span("otel-middle") as middle:
            middle.set_attribute("openinference.span.kind", "CHAIN")
            with assay.span("assay-leaf", kind="tool"):
                pass
    with tracer.start_as_current_span("otel-root") as otel_root:
        with assay.span("assay-child", kind="task"):
            pass
        second = format(otel_root.get_span_context().trace_id, "032x")
    assay.flush(timeout=30)
    provider.shutdown()
    emit({"assay_first": root.trace_id, "otel_first": second})


# --------------------------------------------------------------------------- faults


def producer(api_url: str, project: str, seconds: str) -> None:
    """Make a 3-span trace every 5 ms for ``seconds``; flush; print how many spans were made."""
    assay.init(project=project, api_url=api_url, flush_interval=0.1)
    made = 0
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        with assay.span("job", kind="agent", input={"n": made}):
            with assay.span("step", kind="tool"):
                pass
            with assay.span("llm", kind="llm", model="gpt-4o-mini"):
                pass
        made += 3
        time.sleep(0.005)
    delivered = assay.flush(timeout=60)
    print(f"flush returned {delivered}", file=sys.stderr)
    emit(made)


ROLES = {
    "snippet": snippet,
    "subagent": subagent,
    "supervisor": supervisor,
    "otel": otel,
    "mixed": mixed,
    "producer": producer,
}

if __name__ == "__main__":
    ROLES[sys.argv[1]](*sys.argv[2:])
