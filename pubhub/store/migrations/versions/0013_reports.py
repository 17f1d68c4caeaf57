"""reports: a local user's report, another server's Flag, or a notice from the web, about an
account and some of its posts; assigned, resolved and forwarded by moderators

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BigID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = pubhub.store.models.UTCDateTime(timezone=True)


def _actor(name: str, **options) -> sa.Column:
    return sa.Column(name, BigID, sa.ForeignKey("actors.id", ondelete="SET NULL"), nullable=True, **options)


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", BigID, primary_key=True),
        _actor("account_id", index=True),
        sa.Column("reporter_domain", sa.String(255), nullable=True),
        sa.Column("target_account_id", BigID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("status_ids", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("rule_ids", sa.JSON(), nullable=False),
        sa.Column("forwarded", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        _actor("assigned_account_id"),
        sa.Column("action_taken_at", When, nullable=True),
        _actor("action_taken_by_id"),
        sa.Column("uri", sa.String(2048), nullable=True, unique=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("updated_at", When, nullable=False),
    )
    op.create_index("ix_reports_resolved", "reports", ["action_taken_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_reports_resolved", table_name="reports")
    op.drop_table("reports")
