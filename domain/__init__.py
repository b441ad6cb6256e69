"""Pure domain rules: no GraphQL, no SQL. Services feed these plain values."""
