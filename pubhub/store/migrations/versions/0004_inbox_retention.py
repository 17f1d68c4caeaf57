"""inbound activities: the body may be let go once finished; finished rows found by age

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch: SQLite cannot ALTER a column's nullability in place (the table is copied).
    with op.batch_alter_table("activities") as batch:
        batch.alter_column("payload", existing_type=sa.Text(), nullable=True)
    op.create_index("ix_activities_processed_at", "activities", ["processed_at"])
    # Bodies of what is already finished are needed by no one.
    op.execute("UPDATE activities SET payload = NULL WHERE state IN ('done', 'dropped')")


def downgrade() -> None:
    op.drop_index("ix_activities_processed_at", table_name="activities")
    op.execute("UPDATE activities SET payload = '' WHERE payload IS NULL")
    with op.batch_alter_table("activities") as batch:
        batch.alter_column("payload", existing_type=sa.Text(), nullable=False)
