"""Files the server sends to browsers: the GraphiQL page at /graphql and its vendored scripts.

Everything the page loads comes from this server, so GraphiQL works on an intranet without internet
access (VENDORED.md lists the pinned upstream versions, SHA256SUMS their checksums).
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
# Served under /static/graphiql/ by server.py.
GRAPHIQL_DIR = HERE / "graphiql"
GRAPHIQL_PAGE = HERE / "graphiql.html"
