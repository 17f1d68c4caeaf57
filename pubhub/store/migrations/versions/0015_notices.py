"""notices: what a report made on the web form without an account carries (the exact URL, the
law concerned, the notifier's name and e-mail address when given), and a keyed hash of the
client address that counts a flood of notices

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("url", sa.String(2048)),
    ("law", sa.String(300)),
    ("reporter_name", sa.String(200)),
    ("reporter_email", sa.String(320)),
    ("reporter_address", sa.String(64)),
)


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        for name, kind in _COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    op.create_index("ix_reports_notices", "reports", ["reporter_address", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_reports_notices", table_name="reports")
    with op.batch_alter_table("reports") as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
