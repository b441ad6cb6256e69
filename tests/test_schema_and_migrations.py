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


def test_resolvers_called_directly_by_graphql_core_use_nothing_of_info_but_the_context():
    """graphql-core's own info stands in for strawberry's in those resolvers: only ``context`` is shared."""
    import inspect
    import re

    schema = build_schema(Settings())
    direct = [field.resolve for graphql_type in schema._schema.type_map.values()
              if not graphql_type.name.startswith("__")
              for field in getattr(graphql_type, "fields", {}).values()
              if inspect.isfunction(getattr(field, "resolve", None))
              and field.resolve.__module__.startswith(("schema.", "resolvers."))
              and "info" in inspect.signature(field.resolve).parameters]
    assert {"StepAssignment.assignee", "ChainStep.assignments", "InboxItem.step"} <= {r.__qualname__ for r in direct}
    for resolver in direct:
        source = inspect.getsource(resolver)
        assert not re.search(r"\binfo\.(?!context\b)", source), f"{resolver.__qualname__} uses more of info"
