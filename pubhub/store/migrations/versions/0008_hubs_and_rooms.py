"""hubs and rooms: hubs with their moderators, rooms (Group actors) with their policy, bans,
the moderation queue of submitted posts, and the decisions log

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 08:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = pubhub.store.models.UTCDateTime(timezone=True)


def _actor(name: str, ondelete: str = "CASCADE", nullable: bool = False) -> sa.Column:
    return sa.Column(name, BigID, sa.ForeignKey("actors.id", ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "hubs",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
    )
    op.create_table(
        "hub_moderators",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("hub_id", BigID, sa.ForeignKey("hubs.id", ondelete="CASCADE"), nullable=False),
        _actor("account_id"),
        sa.Column("created_at", When, nullable=False),
        sa.UniqueConstraint("hub_id", "account_id", name="uq_hub_moderators_pair"),
    )
    op.create_index("ix_hub_moderators_account_id", "hub_moderators", ["account_id"])
    op.create_table(
        "rooms",
        sa.Column("id", BigID, primary_key=True),
        _actor("actor_id"),
        sa.Column("hub_id", BigID, sa.ForeignKey("hubs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("join_policy", sa.String(16), nullable=False),
        sa.Column("post_policy", sa.String(16), nullable=False),
        sa.Column("moderation", sa.String(16), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.UniqueConstraint("actor_id"),
    )
    op.create_index("ix_rooms_hub_id", "rooms", ["hub_id"])
    op.create_table(
        "room_bans",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("room_id", BigID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        _actor("actor_id"),
        sa.Column("reason", sa.Text(), nullable=False),
        _actor("banned_by_id", "SET NULL", nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.UniqueConstraint("room_id", "actor_id", name="uq_room_bans_pair"),
    )
    op.create_index("ix_room_bans_actor_id", "room_bans", ["actor_id"])
    op.create_table(
        "moderation_items",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("room_id", BigID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("object_id", BigID, sa.ForeignKey("objects.id", ondelete="CASCADE"), nullable=False),
        _actor("author_id"),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("announce_uri", sa.String(2048), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        _actor("decided_by_id", "SET NULL", nullable=True),
        sa.Column("decided_at", When, nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.UniqueConstraint("room_id", "object_id", name="uq_moderation_items_once"),
    )
    op.create_index("ix_moderation_items_object_id", "moderation_items", ["object_id"])
    op.create_index("ix_moderation_items_author_id", "moderation_items", ["author_id"])
    op.create_index("ix_moderation_items_room_state", "moderation_items", ["room_id", "state", "id"])
    op.create_table(
        "room_decisions",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("room_id", BigID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        _actor("moderator_id", "SET NULL", nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        _actor("target_actor_id", "SET NULL", nullable=True),
        sa.Column("target_object_id", BigID, sa.ForeignKey("objects.id", ondelete="SET NULL"), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
    )
    op.create_index("ix_room_decisions_room", "room_decisions", ["room_id", "id"])


def downgrade() -> None:
    for table in ("room_decisions", "moderation_items", "room_bans", "rooms", "hub_moderators", "hubs"):
        op.drop_table(table)
