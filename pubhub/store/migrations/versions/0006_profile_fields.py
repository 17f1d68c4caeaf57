"""actors: profile fields (name/value pairs) and the plain-text source of the bio

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Both nullable: existing rows have no fields and no source (the bio was never editable).
    with op.batch_alter_table("actors") as batch:
        batch.add_column(sa.Column("fields", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("summary_source", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("actors") as batch:
        batch.drop_column("summary_source")
        batch.drop_column("fields")
