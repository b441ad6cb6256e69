"""Use cases over the database: keyword-only arguments and a session, one transaction each."""
