"""64-bit ids on PostgreSQL (0001 created 32-bit ones there; SQLite's are 64-bit already)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:10:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = {
    "actors": ["id"],
    "follows": ["id", "follower_id", "target_id"],
    "objects": ["id", "author_id", "in_reply_to_id"],
    "interactions": ["id", "actor_id", "object_id"],
    "activities": ["id"],
    "tokens": ["id", "actor_id"],
}
SEQUENCES = ["actors_id_seq", "follows_id_seq", "objects_id_seq", "interactions_id_seq", "activities_id_seq", "tokens_id_seq"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        changes = ", ".join(f"ALTER COLUMN {column} TYPE BIGINT" for column in columns)
        op.execute(f"ALTER TABLE {table} {changes}")
    for sequence in SEQUENCES:
        op.execute(f"ALTER SEQUENCE IF EXISTS {sequence} AS BIGINT")


def downgrade() -> None:
    pass  # widening is harmless to keep
