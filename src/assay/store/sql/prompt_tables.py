"""The tables of prompts, provider keys and registered agents (revision 0008).

Same conventions as :mod:`assay.store.sql.tables`: times are microseconds since the epoch, JSON
is kept as text, server-made ids are UUIDv7.

``prompt_versions`` rows are written once and never updated. ``prompt_labels`` says where each
label points now; ``prompt_label_moves`` keeps every move (from, to, who, when, why), so a move
can be undone. ``provider_keys`` holds each key encrypted with the server's secret key
(``key_cipher``) and a masked hint; the plaintext is never stored.
"""

from __future__ import annotations

import sqlalchemy as sa

from assay.store.sql.tables import metadata

_BIG = sa.BigInteger
_TEXT = sa.Text

prompts = sa.Table(
    "prompts",
    metadata,
    sa.Column("project_id", _TEXT, primary_key=True),
    sa.Column("id", _TEXT, primary_key=True),
    sa.Column("name", _TEXT, nullable=False),
    sa.Column("description", _TEXT),
    sa.Column("latest_version", _BIG, nullable=False),
    sa.Column("created_at", _BIG, nullable=False),
    sa.Column("updated_at", _BIG, nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_prompts_name"),
)

prompt_versions = sa.Table(
    "prompt_versions",
    metadata,
    sa.Column("project_id", _TEXT, primary_key=True),
    sa.Column("prompt_id", _TEXT, primary_key=True),
    sa.Column("version", _BIG, primary_key=True),
    sa.Column("messages", _TEXT, nullable=False),  # JSON list of {role, content}
    sa.Column("model", _TEXT, nullable=False),
    sa.Column("params", _TEXT, nullable=False),  # JSON object
    sa.Column("tools", _TEXT),  # JSON list or NULL
    sa.Column("response_format", _TEXT),  # JSON object or NULL
    sa.Column("message", _TEXT, nullable=False),
    sa.Column("author", _TEXT),
    sa.Column("content_hash", _TEXT, nullable=False),
    sa.Column("created_at", _BIG, nullable=False),
)

prompt_labels = sa.Table(
    "prompt_labels",
    metadata,
    sa.Column("project_id", _TEXT, primary_key=True),
    sa.Column("prompt_id", _TEXT, primary_key=True),
    sa.Column("label", _TEXT, primary_key=True),
    sa.Column("version", _BIG, nullable=False),
    sa.Column("updated_by", _TEXT),
    sa.Column("updated_at", _BIG, nullable=False),
)

prompt_label_moves = sa.Table(
    "prompt_label_moves",
    metadata,
    sa.Column("project_id", _TEXT, primary_key=True),
    sa.Column("id", _TEXT, primary_key=True),
    sa.Column("prompt_id", _TEXT, nullable=False),
    sa.Column("label", _TEXT, nullable=False),
    sa.Column("from_version", _BIG),
    sa.Column("to_version", _BIG),
    sa.Column("actor", _TEXT),
    sa.Column("reason", _TEXT, nullable=False),
    sa.Column("undo_of", _TEXT),
    sa.Column("at", _BIG, nullable=False),
)
sa.Index(
    "ix_prompt_label_moves_prompt",
    prompt_label_moves.c.project_id,
    prompt_label_moves.c.prompt_id,
    prompt_label_moves.c.at,
)

provider_keys = sa.Table(
    "provider_keys",
    metadata,
    sa.Column("project_id", _TEXT, primary_key=True),
    sa.Column("name", _TEXT, primary_key=True),
    sa.Column("kind", _TEXT, nullable=False),
    sa.Column("base_url", _TEXT),
    sa.Column("key_cipher", _TEXT),  # Fernet token of the key, or NULL (no key)
    sa.Column("key_hint", _TEXT, nullable=False),
    sa.Column("updated_by", _TEXT),
    sa.Column("created_at", _BIG, nullable=False),
    sa.Column("updated_at", _BIG, nullable=False),
)

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("project_id", _TEXT, primary_key=True),
    sa.Column("name", _TEXT, primary_key=True),
    sa.Column("url", _TEXT, nullable=False),
    sa.Column("description", _TEXT),
    sa.Column("task", _TEXT),
    sa.Column("parameters", _TEXT, nullable=False),  # JSON list of AgentParameter
    sa.Column("created_at", _BIG, nullable=False),
    sa.Column("updated_at", _BIG, nullable=False),
)
