"""removed content: a post a moderator removed is kept with its statement for the appeal period,
so that reversing the decision restores it

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("statements", sa.Column("removed_content", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("removed_content")
