"""Storage: SQLAlchemy 2 async models, the Database handle, Alembic migrations."""
