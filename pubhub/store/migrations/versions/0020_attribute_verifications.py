"""attribute-gated rooms: a room's attribute rule and its version, verifier sessions, and what
is kept of a proof (who satisfied which room's rule until when; never the values)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 05:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = pubhub.store.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("attribute_rule", sa.JSON(none_as_null=True), nullable=True))
        batch.add_column(sa.Column("rule_version", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "verification_sessions",
        sa.Column("id", ID, primary_key=True),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(512), nullable=False),
        sa.Column("room_id", ID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("account_id", ID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
    )
    op.create_index("ix_verification_sessions_account_id", "verification_sessions", ["account_id"])
    op.create_index("ix_verification_sessions_reference", "verification_sessions", ["provider", "reference"])
    op.create_table(
        "attribute_verifications",
        sa.Column("id", ID, primary_key=True),
        sa.Column("room_id", ID, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("actor_id", ID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("satisfied_until", WHEN, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.UniqueConstraint("room_id", "actor_id", name="uq_attribute_verifications_pair"),
    )
    op.create_index("ix_attribute_verifications_actor_id", "attribute_verifications", ["actor_id"])


def downgrade() -> None:
    op.drop_table("attribute_verifications")
    op.drop_table("verification_sessions")
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("rule_version")
        batch.drop_column("attribute_rule")
