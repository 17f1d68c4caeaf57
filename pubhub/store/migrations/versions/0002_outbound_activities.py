"""outbound activities: store each activity's body once, expand follower audiences later

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = pubhub.store.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    # PostgreSQL names constraints schema-wide (the old table still holds the name for now);
    # SQLite names them per table.
    unique_name = "uq_deliveries_once" if op.get_bind().dialect.name == "sqlite" else "uq_deliveries_v2_once"
    op.create_table(
        "outbound_activities",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("uri", sa.String(length=2048), nullable=False, unique=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("signer_id", BigID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("followers_of_id", BigID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=True),
        sa.Column("expanded_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
    )
    op.create_index("ix_outbound_activities_unexpanded", "outbound_activities", ["expanded_at", "id"])
    # Each queued activity's body moves to outbound_activities (already expanded: its rows exist).
    op.execute(
        "INSERT INTO outbound_activities (uri, body, signer_id, expanded_at, created_at) "
        "SELECT activity_uri, MIN(body), MIN(signer_id), MIN(created_at), MIN(created_at) "
        "FROM deliveries GROUP BY activity_uri"
    )
    op.create_table(
        "deliveries_v2",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("activity_id", BigID, sa.ForeignKey("outbound_activities.id", ondelete="CASCADE"), nullable=False),
        sa.Column("inbox", sa.String(length=2048), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=False),
        sa.Column("lease_until", UTC, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("finished_at", UTC, nullable=True),
        sa.UniqueConstraint("activity_id", "inbox", name=unique_name),
    )
    op.execute(
        "INSERT INTO deliveries_v2 (activity_id, inbox, state, attempts, next_attempt_at, lease_until, last_error, created_at, finished_at) "
        "SELECT o.id, d.inbox, d.state, d.attempts, d.next_attempt_at, d.lease_until, d.last_error, d.created_at, d.finished_at "
        "FROM deliveries d JOIN outbound_activities o ON o.uri = d.activity_uri"
    )
    op.drop_index("ix_deliveries_due", table_name="deliveries")
    op.drop_table("deliveries")
    op.rename_table("deliveries_v2", "deliveries")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE deliveries RENAME CONSTRAINT uq_deliveries_v2_once TO uq_deliveries_once")
        op.execute("ALTER SEQUENCE deliveries_v2_id_seq RENAME TO deliveries_id_seq")
    op.create_index("ix_deliveries_due", "deliveries", ["state", "next_attempt_at"])


def downgrade() -> None:
    raise NotImplementedError("0002 is not reversible: restore the backup taken before upgrading")
