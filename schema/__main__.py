"""`python -m schema` prints the SDL that is committed as schema.graphql."""

from config import Settings
from schema import build_schema

print(build_schema(Settings()).as_str())
