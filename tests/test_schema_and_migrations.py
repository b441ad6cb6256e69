"""The committed SDL and the migrations both match the code."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from config import Settings
from db.models import Base
from schema import build_schema

ROOT = Path(__file__).resolve().parent.parent


def test_the_committed_sdl_matches_the_code():
    committed = (ROOT / "schema.graphql").read_text()
    assert build_schema(Settings()).as_str().strip() == committed.strip(), "run `make schema` and commit it"


async def test_the_migrated_database_matches_the_models(engine):
    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as connection:
        assert await connection.run_sync(diff) == []
