"""Prompts (versions, labels and label moves), encrypted provider keys and registered agents.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_BIG = sa.BigInteger
_TEXT = sa.Text


def upgrade() -> None:
    op.create_table(
        "prompts",
        sa.Column("project_id", _TEXT, primary_key=True),
        sa.Column("id", _TEXT, primary_key=True),
        sa.Column("name", _TEXT, nullable=False),
        sa.Column("description", _TEXT),
        sa.Column("latest_version", _BIG, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_prompts_name"),
    )
    op.create_table(
        "prompt_versions",
        sa.Column("project_id", _TEXT, primary_key=True),
        sa.Column("prompt_id", _TEXT, primary_key=True),
        sa.Column("version", _BIG, primary_key=True),
        sa.Column("messages", _TEXT, nullable=False),
        sa.Column("model", _TEXT, nullable=False),
        sa.Column("params", _TEXT, nullable=False),
        sa.Column("tools", _TEXT),
        sa.Column("response_format", _TEXT),
        sa.Column("message", _TEXT, nullable=False),
        sa.Column("author", _TEXT),
        sa.Column("content_hash", _TEXT, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
    )
    op.create_table(
        "prompt_labels",
        sa.Column("project_id", _TEXT, primary_key=True),
        sa.Column("prompt_id", _TEXT, primary_key=True),
        sa.Column("label", _TEXT, primary_key=True),
        sa.Column("version", _BIG, nullable=False),
        sa.Column("updated_by", _TEXT),
        sa.Column("updated_at", _BIG, nullable=False),
    )
    op.create_table(
        "prompt_label_moves",
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
    op.create_index(
        "ix_prompt_label_moves_prompt", "prompt_label_moves", ["project_id", "prompt_id", "at"]
    )
    op.create_table(
        "provider_keys",
        sa.Column("project_id", _TEXT, primary_key=True),
        sa.Column("name", _TEXT, primary_key=True),
        sa.Column("kind", _TEXT, nullable=False),
        sa.Column("base_url", _TEXT),
        sa.Column("key_cipher", _TEXT),
        sa.Column("key_hint", _TEXT, nullable=False),
        sa.Column("updated_by", _TEXT),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
    )
    op.create_table(
        "agents",
        sa.Column("project_id", _TEXT, primary_key=True),
        sa.Column("name", _TEXT, primary_key=True),
        sa.Column("url", _TEXT, nullable=False),
        sa.Column("description", _TEXT),
        sa.Column("task", _TEXT),
        sa.Column("parameters", _TEXT, nullable=False),
        sa.Column("created_at", _BIG, nullable=False),
        sa.Column("updated_at", _BIG, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "agents",
        "provider_keys",
        "prompt_label_moves",
        "prompt_labels",
        "prompt_versions",
        "prompts",
    ):
        op.drop_table(table)
