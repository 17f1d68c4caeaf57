"""polls: a status's poll (its options, counts and end, on the note itself) and the votes cast
on it, once per voter and option

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = pubhub.store.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("objects") as batch:
        batch.add_column(sa.Column("poll", sa.JSON(none_as_null=True), nullable=True))
    op.create_table(
        "poll_votes",
        sa.Column("id", ID, primary_key=True),
        sa.Column("object_id", ID, sa.ForeignKey("objects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("actor_id", ID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(2048), nullable=False, unique=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.UniqueConstraint("object_id", "actor_id", "choice", name="uq_poll_votes_once"),
    )


def downgrade() -> None:
    op.drop_table("poll_votes")
    with op.batch_alter_table("objects") as batch:
        batch.drop_column("poll")
