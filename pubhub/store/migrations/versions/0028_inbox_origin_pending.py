"""inbox claims: the index a claim's "held by another worker" check uses covers the state, so it
reads only the waiting activities of the sender's server, not every one kept for deduplication

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 17:00:00
"""

from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_activities_origin", table_name="activities")
    op.create_index("ix_activities_origin", "activities", ["origin", "state", "id"])


def downgrade() -> None:
    op.drop_index("ix_activities_origin", table_name="activities")
    op.create_index("ix_activities_origin", "activities", ["origin", "id"])
