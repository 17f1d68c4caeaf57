"""instance settings (the domain and scheme a database belongs to); account passwords and suspension

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 02:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Key/value rows: `domain` and `scheme` are written by `pubhub init` (or adopted from the
    # local actors' URIs on a database from before this revision), then checked by every command.
    op.create_table(
        "instance_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    with op.batch_alter_table("actors") as batch:
        batch.add_column(sa.Column("password_hash", sa.Text(), nullable=True))
        batch.add_column(sa.Column("suspended_at", pubhub.store.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("actors") as batch:
        batch.drop_column("suspended_at")
        batch.drop_column("password_hash")
    op.drop_table("instance_settings")
