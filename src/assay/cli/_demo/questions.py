"""The customer questions the demo support bot answers, with who asked and from where."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Question:
    """One customer question and the context it arrives with."""

    text: str
    user_id: str
    session_id: str
    customer_id: str | None
    intent: str
    channel: str = "chat"
    plan: str = "free"
    tags: tuple[str, ...] = ()
    stream: bool = False
    extra: dict[str, str] = field(default_factory=dict)


QUESTIONS: list[Question] = [
    Question("Where is my order 1042?", "u-ana", "s-100", "C-1001", "order_status"),
    Question(
        "My blender arrived broken, can I get my money back?",
        "u-ana",
        "s-100",
        "C-1001",
        "refund",
        tags=("damaged",),
    ),
    Question("What is your return window for shoes?", "u-ben", "s-101", "C-1002", "policy"),
    Question(
        "I was charged twice for order 1077, please refund one.",
        "u-chen",
        "s-102",
        "C-1003",
        "refund",
        plan="pro",
        tags=("billing", "vip"),
    ),
    Question("Do you ship to Canada?", "u-dara", "s-103", None, "policy", channel="email"),
    Question(
        "Track my order please, I'm not logged in",
        "u-guest",
        "s-104",
        "guest",
        "order_status",
        tags=("anonymous",),
    ),
    Question(
        "The headphones I got last week stopped working. Refund?",
        "u-eli",
        "s-105",
        "C-1005",
        "refund",
        stream=True,
    ),
    Question(
        "How long does express shipping take?", "u-fay", "s-106", "C-1006", "policy", stream=True
    ),
    Question("Has order 1101 shipped yet?", "u-ben", "s-101", "C-1002", "order_status"),
    Question(
        "Cancel order 1120 and refund me, I ordered the wrong size.",
        "u-gus",
        "s-107",
        "C-1007",
        "refund",
        channel="email",
        tags=("cancellation",),
    ),
    Question(
        "Can I change the delivery address for order 1133?",
        "u-hana",
        "s-108",
        "C-1008",
        "order_status",
        plan="pro",
    ),
    Question(
        "What's your warranty on electronics?",
        "u-ivan",
        "s-109",
        "C-1009",
        "policy",
        channel="voice",
    ),
    Question(
        "Where's my stuff?? order number unknown",
        "u-guest2",
        "s-110",
        "guest",
        "order_status",
        channel="email",
        tags=("anonymous",),
    ),
    Question(
        "The jacket doesn't fit, I'd like a refund for order 1150.",
        "u-jo",
        "s-111",
        "C-1011",
        "refund",
        stream=True,
    ),
    Question("Is gift wrapping available?", "u-ana", "s-112", "C-1001", "policy"),
    Question(
        "You sent me the wrong color, refund order 1166 please.",
        "u-kai",
        "s-113",
        "C-1013",
        "refund",
        plan="pro",
        tags=("vip",),
    ),
    Question(
        "When will order 1171 arrive?", "u-lea", "s-114", "C-1014", "order_status", stream=True
    ),
    Question("Do you price-match?", "u-max", "s-115", "C-1015", "policy", channel="voice"),
    Question(
        "Package 1188 was stolen from my porch. What can you do?",
        "u-noa",
        "s-116",
        "C-1016",
        "refund",
        tags=("damaged", "escalate"),
    ),
    Question("Which payment methods do you accept?", "u-oli", "s-117", None, "policy"),
]
