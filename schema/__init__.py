"""The GraphQL schema, assembled with its hardening from the settings."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from config import Settings


def is_unexpected(error: GraphQLError) -> bool:
    """Errors from our own code that were not raised on purpose as a GraphQLError."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


class QianfaSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        # Intended errors (sign-in required, bad cursor, validation) are answers, not incidents.
        super().process_errors([e for e in errors if is_unexpected(e)], execution_context)


class CloseRequestSession(SchemaExtension):
    """Return the request's read session to the pool once the operation is done."""

    async def on_operation(self):
        yield
        await self.execution_context.context.close()


def build_schema(settings: Settings) -> strawberry.Schema:
    from resolvers.mutations import Mutation
    from resolvers.queries import Query

    extensions = [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        # Unexpected exceptions become "Unexpected error."; GraphQLErrors we raise on purpose pass.
        lambda: MaskErrors(should_mask_error=is_unexpected),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        CloseRequestSession,
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return QianfaSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=not settings.debug),
    )
