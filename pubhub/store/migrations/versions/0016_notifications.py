"""notifications: what happened to a local account (mention, follow, follow_request, favourite,
reblog, update), once each

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 02:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

BigID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", BigID, primary_key=True, autoincrement=False),
        sa.Column("account_id", BigID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("from_account_id", BigID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status_id", BigID, sa.ForeignKey("objects.id", ondelete="CASCADE"), nullable=True),
        sa.Column("once_key", sa.String(255), nullable=False),
        sa.Column("created_at", pubhub.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("account_id", "once_key", name="uq_notifications_once"),
    )
    op.create_index("ix_notifications_account_id", "notifications", ["account_id", "id"])
    op.create_index("ix_notifications_from_account_id", "notifications", ["from_account_id"])
    op.create_index("ix_notifications_status_id", "notifications", ["status_id"])


def downgrade() -> None:
    op.drop_table("notifications")
