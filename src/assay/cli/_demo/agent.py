"""The support-bot supervisor: plan with an LLM, call tools, delegate refunds, answer.

Run by ``assay demo`` as ``python -m assay.cli._demo.agent --llm-url URL --refund-url URL`` with
``ASSAY_API_URL`` and ``ASSAY_PROJECT`` set; it uses nothing but the public SDK.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import httpx
import openai

import assay
from assay.cli._demo.questions import QUESTIONS, Question

MODEL = "gpt-4o-mini"
SYSTEM = (
    "You are the support assistant of an online shop. Be brief and friendly. "
    "Use the tool results; never promise what the refund agent did not approve."
)

ORDERS: dict[str, list[dict[str, Any]]] = {
    "C-1001": [{"order_id": "1042", "item": "blender", "status": "delivered", "total": 89.0}],
    "C-1002": [{"order_id": "1101", "item": "running shoes", "status": "shipped", "total": 120.0}],
    "C-1003": [{"order_id": "1077", "item": "desk lamp", "status": "delivered", "total": 45.5}],
    "C-1005": [{"order_id": "1093", "item": "headphones", "status": "delivered", "total": 199.0}],
    "C-1007": [{"order_id": "1120", "item": "rain jacket", "status": "processing", "total": 75.0}],
    "C-1011": [{"order_id": "1150", "item": "jacket", "status": "delivered", "total": 130.0}],
    "C-1013": [{"order_id": "1166", "item": "sweater", "status": "delivered", "total": 60.0}],
    "C-1014": [{"order_id": "1171", "item": "tent", "status": "in transit", "total": 240.0}],
    "C-1016": [
        {"order_id": "1188", "item": "coffee grinder", "status": "delivered", "total": 99.0}
    ],
}

POLICIES = {
    "returns": "Items can be returned within 30 days of delivery; shoes must be unworn.",
    "shipping": "Standard shipping takes 3-5 business days, express 1-2. We ship to the US "
    "and Canada.",
    "warranty": "Electronics carry a 2-year warranty; other items 1 year.",
    "payments": "We accept cards, PayPal and gift cards. We do not price-match.",
    "gifts": "Gift wrapping is available at checkout for $4.",
}


@assay.traced(kind="tool")
def search_orders(customer_id: str) -> list[dict[str, Any]]:
    """Orders of a signed-in customer; guests have no id to look up."""
    if not customer_id.startswith("C-"):
        raise LookupError(f"customer id {customer_id!r} is not a signed-in customer; ask to log in")
    return ORDERS.get(customer_id, [])


@assay.traced(kind="tool")
def lookup_policy(topic: str) -> str:
    """The shop policy paragraph on ``topic``."""
    return POLICIES.get(topic, POLICIES["returns"])


def policy_topic(text: str) -> str:
    """A crude keyword router from the question to a policy topic."""
    lowered = text.lower()
    for words, topic in (
        (("ship", "canada", "express"), "shipping"),
        (("warranty",), "warranty"),
        (("pay", "price"), "payments"),
        (("gift",), "gifts"),
    ):
        if any(w in lowered for w in words):
            return topic
    return "returns"


class SupportBot:
    """The supervisor agent: one instance answers every question."""

    def __init__(self, llm_url: str, refund_url: str | None) -> None:
        self.client = assay.wrap_openai(openai.OpenAI(base_url=llm_url, api_key="demo-key"))
        self.refund_url = refund_url.rstrip("/") if refund_url else None
        self.http = httpx.Client(timeout=30)

    def answer(self, q: Question) -> str:
        """Answer one customer question as one trace."""
        with assay.span(
            "support-bot",
            kind="agent",
            input={"question": q.text, "customer_id": q.customer_id},
            session_id=q.session_id,
            user_id=q.user_id,
            tags=[q.intent, q.channel, *q.tags],
            metadata={"channel": q.channel, "plan": q.plan, "intent": q.intent},
        ) as root:
            plan = self.plan(q)
            facts = self.gather(q)
            if q.intent == "refund" and self.refund_url and facts.get("orders"):
                facts["refund"] = self.delegate_refund(q, facts["orders"][0])
            reply = self.reply(q, plan, facts)
            root.log(output=reply, metadata={"facts": sorted(facts)})
            return reply

    def plan(self, q: Question) -> str:
        with assay.span("plan", kind="task", input=q.text) as s:
            steps = {
                "order_status": "search the customer's orders, then report the status",
                "refund": "search the orders, ask the refund agent, then explain the decision",
                "policy": f"look up the {policy_topic(q.text)} policy and quote it",
            }[q.intent]
            response = self.client.chat.completions.create(
                model=MODEL,
                messages=[
                    {"role": "system", "content": "Plan the steps to answer. " + SYSTEM},
                    {"role": "user", "content": f"Plan: {steps}."},
                ],
                temperature=0,
            )
            plan = response.choices[0].message.content or ""
            s.log(output=plan, metadata={"step": 1})
            return plan

    def gather(self, q: Question) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        if q.intent in ("order_status", "refund") and q.customer_id:
            try:
                facts["orders"] = search_orders(q.customer_id)
            except LookupError as exc:
                facts["orders_error"] = str(exc)
        if q.intent in ("policy", "refund"):
            facts["policy"] = lookup_policy(
                policy_topic(q.text) if q.intent == "policy" else "returns"
            )
        return facts

    def delegate_refund(self, q: Question, order: dict[str, Any]) -> Any:
        with assay.span("call refund-agent", kind="tool", input=order) as s:
            headers = {"content-type": "application/json"}
            assay.inject(headers)
            body = {"order": order, "reason": q.text, "plan": q.plan}
            response = self.http.post(f"{self.refund_url}/refund", json=body, headers=headers)
            response.raise_for_status()
            decision = response.json()
            s.log(output=decision, metadata={"status_code": response.status_code})
            return decision

    def reply(self, q: Question, plan: str, facts: dict[str, Any]) -> str:
        """The customer's answer, written by the registry's ``reply`` prompt (production)."""
        prompt = assay.load_prompt(None, "reply", label="production")
        request = prompt.build(
            plan=plan,
            facts=json.dumps(facts),
            draft=draft_reply(q, facts),
            customer_id=q.customer_id or "",
        )
        if not q.stream:
            response = self.client.chat.completions.create(**request)
            return response.choices[0].message.content or ""
        stream = self.client.chat.completions.create(
            **request, stream=True, stream_options={"include_usage": True}
        )
        parts = [c.choices[0].delta.content or "" for c in stream if c.choices]
        return "".join(parts)


def draft_reply(q: Question, facts: dict[str, Any]) -> str:
    """The answer the final LLM call is asked to polish."""
    if "orders_error" in facts:
        return "I can look that up once you sign in, or send me the e-mail you ordered with."
    refund = facts.get("refund")
    if refund:
        verdict = "approved" if refund.get("approved") else "sent to a specialist"
        return f"Your refund for order {refund.get('order_id')} is {verdict}: {refund.get('note')}"
    if facts.get("orders"):
        o = facts["orders"][0]
        return f"Your order {o['order_id']} ({o['item']}) is {o['status']}."
    if "policy" in facts:
        return str(facts["policy"])
    return "I could not find an order for your account; could you share the order number?"


def main(argv: list[str] | None = None) -> None:
    """Answer every demo question, one trace each, then flush."""
    parser = argparse.ArgumentParser(prog="python -m assay.cli._demo.agent")
    parser.add_argument("--llm-url", required=True, help="OpenAI-compatible base URL (…/v1)")
    parser.add_argument("--refund-url", required=True, help="URL of the refund agent service")
    args = parser.parse_args(argv)
    assay.init()  # project and server from ASSAY_PROJECT / ASSAY_API_URL
    bot = SupportBot(args.llm_url, args.refund_url)
    for number, q in enumerate(QUESTIONS, 1):
        reply = bot.answer(q)
        print(f"  [{number:2}/{len(QUESTIONS)}] {q.text[:52]:52} -> {reply[:40]}", flush=True)
    assay.flush(timeout=30)


if __name__ == "__main__":
    main()
