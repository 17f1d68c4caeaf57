"""account moderation: when an account was silenced, marked sensitive or disabled (beside 0005's
suspended_at), for Mastodon's accounts admin

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 01:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

COLUMNS = ("silenced_at", "sensitized_at", "disabled_at")


def upgrade() -> None:
    with op.batch_alter_table("actors") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, pubhub.store.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("actors") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
