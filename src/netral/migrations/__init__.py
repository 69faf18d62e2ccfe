"""Alembic migrations. Above every domain: `env.py` imports all their tables; nothing imports this."""
