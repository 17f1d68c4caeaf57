"""sign-in by identity attribute: verifier sessions for signing in (no room), and the accounts
linked to an attribute's keyed hash

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 06:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = pubhub.store.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("verification_sessions") as batch:
        batch.alter_column("room_id", existing_type=ID, nullable=True)
        batch.add_column(sa.Column("purpose", sa.String(16), nullable=False, server_default="room"))
        batch.add_column(sa.Column("return_to", sa.Text(), nullable=True))
        batch.add_column(sa.Column("subject_hash", sa.String(64), nullable=True))
    op.create_table(
        "login_links",
        sa.Column("id", ID, primary_key=True),
        sa.Column("actor_id", ID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, unique=True),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", WHEN, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("login_links")
    with op.batch_alter_table("verification_sessions") as batch:
        batch.drop_column("subject_hash")
        batch.drop_column("return_to")
        batch.drop_column("purpose")
        batch.alter_column("room_id", existing_type=ID, nullable=False)
