"""A nightly FAQ-refresh job instrumented with plain OpenTelemetry, no assay SDK at all.

It shows the second ingest path: the OpenTelemetry SDK's OTLP/HTTP exporter (protobuf) sends
to ``/v1/traces`` with OpenInference attributes, which assay maps onto its span fields (kind,
model, tokens, messages). The project is named by the ``X-Assay-Project`` header.
Run as ``python -m assay.cli._demo.otel_job --api-url URL``.
"""

from __future__ import annotations

import argparse
import json

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Status, StatusCode

PROJECT = "faq-indexer"
TOPICS = ["returns", "shipping", "warranty"]


def refresh(tracer_provider: TracerProvider) -> None:
    """One run of the job: for each topic retrieve the documents and summarize them."""
    tracer = tracer_provider.get_tracer("faq-indexer")
    with tracer.start_as_current_span("refresh-faq") as root:
        root.set_attribute("openinference.span.kind", "CHAIN")
        root.set_attribute("input.value", json.dumps({"topics": TOPICS}))
        for number, topic in enumerate(TOPICS):
            with tracer.start_as_current_span("retrieve") as span:
                span.set_attribute("openinference.span.kind", "RETRIEVER")
                span.set_attribute("input.value", topic)
                for i in range(2):
                    prefix = f"retrieval.documents.{i}.document"
                    span.set_attribute(f"{prefix}.id", f"{topic}-{i}")
                    span.set_attribute(f"{prefix}.content", f"Policy text about {topic}, part {i}.")
            with tracer.start_as_current_span("ChatCompletion") as llm:
                prompt = f"Summarize the {topic} policy in one sentence."
                answer = f"Our {topic} policy in short: see the help center."
                attributes: dict[str, str | int] = {
                    "openinference.span.kind": "LLM",
                    "llm.model_name": "gpt-4o-mini",
                    "llm.provider": "openai",
                    "llm.invocation_parameters": json.dumps({"temperature": 0.2}),
                    "llm.input_messages.0.message.role": "system",
                    "llm.input_messages.0.message.content": "You write FAQ entries.",
                    "llm.input_messages.1.message.role": "user",
                    "llm.input_messages.1.message.content": prompt,
                    "llm.output_messages.0.message.role": "assistant",
                    "llm.output_messages.0.message.content": answer,
                    "llm.token_count.prompt": 24 + number,
                    "llm.token_count.completion": 12,
                    "llm.token_count.total": 36 + number,
                }
                llm.set_attributes(attributes)
                if topic == "warranty":
                    llm.set_status(Status(StatusCode.ERROR, "rate limited by the provider"))
        root.set_attribute("output.value", json.dumps({"updated": len(TOPICS) - 1}))


def main(argv: list[str] | None = None) -> None:
    """Run the job once and export its spans."""
    parser = argparse.ArgumentParser(prog="python -m assay.cli._demo.otel_job")
    parser.add_argument("--api-url", required=True, help="base URL of the assay server")
    args = parser.parse_args(argv)
    exporter = OTLPSpanExporter(
        endpoint=args.api_url.rstrip("/") + "/v1/traces", headers={"x-assay-project": PROJECT}
    )
    provider = TracerProvider(resource=Resource.create({"service.name": "faq-indexer"}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    refresh(provider)
    provider.shutdown()
    print(f"  OpenTelemetry job: {len(TOPICS) * 2 + 1} spans sent to project {PROJECT!r}")


if __name__ == "__main__":
    main()
