"""link codes: someone on another fediverse server proves a room's rule on its web page, gets a
one-time code, and sends it to the room from their own account

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 05:10:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = pubhub.store.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("verification_sessions") as batch:
        batch.alter_column("account_id", existing_type=ID, nullable=True)
        batch.add_column(sa.Column("browser_hash", sa.String(64), nullable=True))
    op.create_table(
        "link_codes",
        sa.Column("id", ID, primary_key=True),
        sa.Column("room_id", ID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
        sa.Column("used_by_id", ID, sa.ForeignKey("actors.id", ondelete="SET NULL"), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("link_codes")
    with op.batch_alter_table("verification_sessions") as batch:
        batch.drop_column("browser_hash")
        batch.alter_column("account_id", existing_type=ID, nullable=False)
