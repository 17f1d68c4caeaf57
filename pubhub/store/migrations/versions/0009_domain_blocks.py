"""domain blocks: servers moderated as a whole (suspend, silence, noop)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 08:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "domain_blocks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("domain", sa.String(253), nullable=False, unique=True),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("reject_media", sa.Boolean(), nullable=False),
        sa.Column("reject_reports", sa.Boolean(), nullable=False),
        sa.Column("private_comment", sa.Text(), nullable=False),
        sa.Column("public_comment", sa.Text(), nullable=False),
        sa.Column("obfuscate", sa.Boolean(), nullable=False),
        sa.Column("created_at", pubhub.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pubhub.store.models.UTCDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("domain_blocks")
