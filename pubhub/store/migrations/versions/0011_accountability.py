"""accountability: statements of reasons, appeals, and the audit log of every admin and
moderator action (EU Digital Services Act)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 11:45:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BigID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = pubhub.store.models.UTCDateTime(timezone=True)


def _actor(name: str, **options) -> sa.Column:
    return sa.Column(name, BigID, sa.ForeignKey("actors.id", ondelete="SET NULL"), nullable=True, **options)


def upgrade() -> None:
    op.create_table(
        "statements",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("action", sa.String(32), nullable=False),
        _actor("account_id", index=True),
        sa.Column("object_id", BigID, sa.ForeignKey("objects.id", ondelete="SET NULL"), nullable=True, index=True),
        sa.Column("object_uri", sa.String(2048), nullable=True),
        sa.Column("hub_id", BigID, sa.ForeignKey("hubs.id", ondelete="SET NULL"), nullable=True),
        sa.Column("room_id", BigID, sa.ForeignKey("rooms.id", ondelete="SET NULL"), nullable=True),
        sa.Column("report_id", BigID, nullable=True),
        _actor("moderator_id"),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("ground_kind", sa.String(16), nullable=False),
        sa.Column("ground", sa.Text(), nullable=False),
        sa.Column("automated", sa.Boolean(), nullable=False),
        sa.Column("redress", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False, index=True),
        sa.Column("reversed_at", When, nullable=True),
    )
    op.create_table(
        "appeals",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("statement_id", BigID, sa.ForeignKey("statements.id", ondelete="CASCADE"), nullable=False, unique=True),
        sa.Column("account_id", BigID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        _actor("decided_by_id"),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("decided_at", When, nullable=True),
        sa.Column("created_at", When, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", BigID, primary_key=True),
        _actor("actor_id", index=True),
        sa.Column("actor_name", sa.String(255), nullable=False),
        sa.Column("action", sa.String(64), nullable=False, index=True),
        sa.Column("target_type", sa.String(32), nullable=False),
        sa.Column("target_id", sa.String(2048), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("hub_id", BigID, sa.ForeignKey("hubs.id", ondelete="SET NULL"), nullable=True, index=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("statement_id", BigID, sa.ForeignKey("statements.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", When, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("appeals")
    op.drop_table("statements")
