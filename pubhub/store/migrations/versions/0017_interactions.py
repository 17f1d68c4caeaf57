"""interactions: bookmarks and pins of local accounts, and the versions of edited statuses

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 02:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

BigID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = pubhub.store.models.UTCDateTime(timezone=True)


def _account_and_status(name: str) -> None:
    """A table of (account, status) pairs, each pair once."""
    op.create_table(
        name,
        sa.Column("id", BigID, primary_key=True),
        sa.Column("account_id", BigID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("object_id", BigID, sa.ForeignKey("objects.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("created_at", When, nullable=False),
        sa.UniqueConstraint("account_id", "object_id", name=f"uq_{name}_once"),
    )


def upgrade() -> None:
    _account_and_status("bookmarks")
    _account_and_status("pins")
    op.create_table(
        "status_edits",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("object_id", BigID, sa.ForeignKey("objects.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=True),
        sa.Column("created_at", When, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("status_edits")
    op.drop_table("pins")
    op.drop_table("bookmarks")
