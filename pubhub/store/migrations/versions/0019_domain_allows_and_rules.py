"""domain allows (limited federation) and the instance rules, editable by admins

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 04:40:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = pubhub.store.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "domain_allows",
        sa.Column("id", ID, primary_key=True),
        sa.Column("domain", sa.String(253), nullable=False, unique=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "instance_rules",
        sa.Column("id", ID, primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("hint", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("deleted_at", WHEN, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("instance_rules")
    op.drop_table("domain_allows")
