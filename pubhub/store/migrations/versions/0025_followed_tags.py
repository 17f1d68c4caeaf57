"""followed hashtags, and the hashtags each note carries (an index beside its `tags` JSON),
filled in for the notes already stored

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models
from pubhub.store.hashtags import index_rows

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = pubhub.store.models.UTCDateTime(timezone=True)
BATCH = 1000  # notes read at a time while filling in note_hashtags


def upgrade() -> None:
    note_hashtags = op.create_table(
        "note_hashtags",
        sa.Column("object_id", ID, sa.ForeignKey("objects.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("name", sa.String(100), primary_key=True),
    )
    op.create_index("ix_note_hashtags_name_object", "note_hashtags", ["name", "object_id"])
    op.create_table(
        "followed_tags",
        sa.Column("id", ID, primary_key=True),
        sa.Column("account_id", ID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.UniqueConstraint("account_id", "name", name="uq_followed_tags_pair"),
    )
    op.create_index("ix_followed_tags_name", "followed_tags", ["name"])
    _fill_in(note_hashtags)


def _fill_in(note_hashtags: sa.Table) -> None:
    """The hashtags of the notes stored before this migration, read in batches by id."""
    objects = sa.table("objects", sa.column("id", ID), sa.column("tags", sa.JSON))
    connection = op.get_bind()
    last = -1
    while rows := connection.execute(sa.select(objects.c.id, objects.c.tags).where(objects.c.id > last)
                                     .order_by(objects.c.id).limit(BATCH)).all():
        last = rows[-1][0]
        found = [row for note_id, tags in rows for row in index_rows(note_id, tags)]
        if found:
            connection.execute(note_hashtags.insert(), found)


def downgrade() -> None:
    op.drop_index("ix_followed_tags_name", table_name="followed_tags")
    op.drop_table("followed_tags")
    op.drop_index("ix_note_hashtags_name_object", table_name="note_hashtags")
    op.drop_table("note_hashtags")
