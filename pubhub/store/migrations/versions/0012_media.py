"""media: images local accounts upload (media_attachments), and the images a note carries
(objects.attachments)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 01:20:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BigID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = pubhub.store.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.add_column("objects", sa.Column("attachments", sa.JSON(), nullable=True))
    op.create_table(
        "media_attachments",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("account_id", BigID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("object_id", BigID, sa.ForeignKey("objects.id", ondelete="SET NULL"), nullable=True, index=True),
        sa.Column("file_name", sa.String(128), nullable=False),
        sa.Column("preview_name", sa.String(128), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("preview_width", sa.Integer(), nullable=False),
        sa.Column("preview_height", sa.Integer(), nullable=False),
        sa.Column("blurhash", sa.String(64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("focus_x", sa.Float(), nullable=False),
        sa.Column("focus_y", sa.Float(), nullable=False),
        sa.Column("created_at", When, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("media_attachments")
    with op.batch_alter_table("objects") as batch:
        batch.drop_column("attachments")
