"""OAuth as Mastodon apps use it: registered apps, authorization codes, tokens of an app (a
client_credentials token has no account), accounts' sign-in e-mail, failed sign-ins (rate
limits shared by every process) and timeline markers

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 08:00:00
"""

import sqlalchemy as sa
from alembic import op

import pubhub.store.models

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BigID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = pubhub.store.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "oauth_apps",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("client_id", sa.String(64), nullable=False, unique=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("website", sa.String(2048), nullable=True),
        sa.Column("redirect_uris", sa.Text(), nullable=False),
        sa.Column("scopes", sa.String(1024), nullable=False),
        sa.Column("created_at", When, nullable=False),
    )
    op.create_table(
        "oauth_codes",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("app_id", BigID, sa.ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("actor_id", BigID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("scopes", sa.String(1024), nullable=False),
        sa.Column("code_challenge", sa.String(128), nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("expires_at", When, nullable=False, index=True),
        sa.Column("used_at", When, nullable=True),
        sa.Column("token_id", BigID, nullable=True),
    )
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("account_key", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("attempted_at", When, nullable=False, index=True),
    )
    op.create_index("ix_sign_in_attempts_account", "sign_in_attempts", ["account_key", "attempted_at"])
    op.create_index("ix_sign_in_attempts_address", "sign_in_attempts", ["address", "attempted_at"])
    op.create_table(
        "markers",
        sa.Column("id", BigID, primary_key=True),
        sa.Column("actor_id", BigID, sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("timeline", sa.String(32), nullable=False),
        sa.Column("last_read_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", When, nullable=False),
        sa.UniqueConstraint("actor_id", "timeline", name="uq_markers_timeline"),
    )
    with op.batch_alter_table("tokens") as batch:
        batch.alter_column("actor_id", existing_type=BigID, nullable=True)
        batch.alter_column("scopes", existing_type=sa.String(255), type_=sa.String(1024))
        batch.add_column(sa.Column("app_id", BigID, nullable=True))
        batch.create_foreign_key("fk_tokens_app_id_oauth_apps", "oauth_apps", ["app_id"], ["id"], ondelete="CASCADE")
        batch.create_index("ix_tokens_app_id", ["app_id"])
    with op.batch_alter_table("actors") as batch:
        batch.add_column(sa.Column("email", sa.String(320), nullable=True))
        batch.create_unique_constraint("uq_actors_email", ["email"])


def downgrade() -> None:
    with op.batch_alter_table("actors") as batch:
        batch.drop_constraint("uq_actors_email", type_="unique")
        batch.drop_column("email")
    op.execute("DELETE FROM tokens WHERE actor_id IS NULL")  # app-only tokens have no place before this
    with op.batch_alter_table("tokens") as batch:
        batch.drop_index("ix_tokens_app_id")
        batch.drop_constraint("fk_tokens_app_id_oauth_apps", type_="foreignkey")
        batch.drop_column("app_id")
        batch.alter_column("scopes", existing_type=sa.String(1024), type_=sa.String(255))
        batch.alter_column("actor_id", existing_type=BigID, nullable=False)
    op.drop_table("markers")
    op.drop_index("ix_sign_in_attempts_address", table_name="sign_in_attempts")
    op.drop_index("ix_sign_in_attempts_account", table_name="sign_in_attempts")
    op.drop_table("sign_in_attempts")
    op.drop_table("oauth_codes")
    op.drop_table("oauth_apps")
