"""profile header: actors.image_url, the header image of a profile (Mastodon's `header`,
ActivityPub's `image`)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("actors", sa.Column("image_url", sa.String(2048), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("actors") as batch:
        batch.drop_column("image_url")
