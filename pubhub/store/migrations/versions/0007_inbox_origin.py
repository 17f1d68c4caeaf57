"""inbound activities: the sender's origin, so that one server's activities are applied by one
worker at a time, in arrival order, however many worker processes there are

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 05:30:00
"""

from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _origin(uri: str) -> str | None:
    """scheme://host[:port], as pubhub.activitypub.origins writes it (a migration keeps its own copy)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=2048), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(length=32), nullable=True))
    op.create_index("ix_activities_origin", "activities", ["origin", "id"])
    # Only rows still to be applied need it; finished rows are never claimed again.
    connection = op.get_bind()
    waiting = connection.execute(sa.text("SELECT id, actor_uri FROM activities WHERE state IN ('pending', 'held')")).all()
    for activity_id, actor_uri in waiting:
        connection.execute(sa.text("UPDATE activities SET origin = :origin WHERE id = :id"),
                           {"origin": _origin(actor_uri), "id": activity_id})


def downgrade() -> None:
    op.drop_index("ix_activities_origin", table_name="activities")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("claimed_by")
        batch.drop_column("origin")
