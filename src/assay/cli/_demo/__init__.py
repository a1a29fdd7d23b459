"""The example agent ``assay demo`` runs: a support bot with a refund sub-agent in its own process.

- :mod:`.agent` is the supervisor: planner LLM call, tools, a call to the refund agent over HTTP
  (context carried with ``assay.inject``), and a final answer (some of them streamed).
- :mod:`.refund_agent` is the sub-agent: a small HTTP service that joins the caller's trace with
  ``assay.extract``.
- :mod:`.otel_job` sends a few spans through plain OpenTelemetry (OTLP/HTTP, OpenInference
  attributes), the way existing instrumentation reaches assay.
- :mod:`.evals` builds the "support-golden" dataset from the questions and runs two experiments
  on it ("baseline-prompt", "shorter-prompt") with ``Eval``, so the second is compared with the
  first.
- :mod:`.questions` holds the scripted customer questions.

Each module is a program (``python -m assay.cli._demo.agent ...``) built only on the public SDK.
"""
