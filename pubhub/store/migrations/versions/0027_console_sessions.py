"""console sessions: moderators signed in to /admin, kept as the hash of their cookie's token

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = pubhub.store.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "console_sessions",
        sa.Column("id", ID, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("account_id", ID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("password_stamp", sa.String(16), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
    )
    op.create_index("ix_console_sessions_account_id", "console_sessions", ["account_id"])
    op.create_index("ix_console_sessions_expires_at", "console_sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_table("console_sessions")
