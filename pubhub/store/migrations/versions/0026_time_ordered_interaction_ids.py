"""boosts in timelines: likes and boosts made before take time-ordered ids (those of notes),
from their created_at, so that old boosts page among notes where they belong

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = pubhub.store.models.UTCDateTime(timezone=True)
TIME_ORDERED = 1 << 40  # ids from store.objects.new_object_id are far above any sequence's
interactions = sa.table("interactions", sa.column("id", ID), sa.column("created_at", WHEN))


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(interactions.c.id, interactions.c.created_at)).all()
    taken = {row_id for row_id, _ in rows}
    moves = []
    for row_id, created_at in sorted((r for r in rows if r[0] < TIME_ORDERED), key=lambda r: (r[1], r[0])):
        # As new_object_id: milliseconds << 16, the old id in the low bits keeping rows apart.
        new_id = (int(created_at.timestamp() * 1000) << 16) | (row_id & 0xFFFF)
        while new_id in taken:
            new_id += 1
        taken.add(new_id)
        moves.append({"old": row_id, "new": new_id})
    if moves:
        bind.execute(interactions.update().where(interactions.c.id == sa.bindparam("old"))
                     .values(id=sa.bindparam("new")), moves)


def downgrade() -> None:
    pass  # the new ids are as good as the old ones to the code before
