"""A thin GraphQL client over httpx for scenario tests."""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass
class Response:
    status: int
    data: dict | None
    errors: list[dict] | None
    sql_statements: int

    @property
    def error_codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors or []]


class Api:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def call(self, query: str, variables: dict | None = None, *, token: str | None = None,
                   headers: dict[str, str] | None = None) -> Response:
        headers = {**({"Authorization": f"Bearer {token}"} if token else {}), **(headers or {})}
        reply = await self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                                       headers=headers)
        body = reply.json()
        return Response(reply.status_code, body.get("data"), body.get("errors"),
                        int(reply.headers.get("x-sql-statements", "-1")))

    async def ok(self, query: str, variables: dict | None = None, *, token: str | None = None,
                 headers: dict[str, str] | None = None) -> dict:
        """Run an operation that must succeed without top-level errors; return its data."""
        response = await self.call(query, variables, token=token, headers=headers)
        assert response.status == 200 and not response.errors, response
        return response.data

    async def login(self, username: str, password: str) -> str:
        data = await self.ok(
            """mutation($u: String!, $p: String!) {
                 login(username: $u, password: $p) {
                   __typename ... on LoginSuccess { token } ... on MutationError { code message }
                 }
               }""",
            {"u": username, "p": password},
        )
        assert data["login"]["__typename"] == "LoginSuccess", data
        return data["login"]["token"]
