"""The GraphQL schema, assembled with its hardening from the settings."""

from __future__ import annotations

import inspect
import logging
import re

import strawberry
from strawberry import relay
from strawberry.tools import merge_types
from graphql import GraphQLError, GraphQLSyntaxError, OperationDefinitionNode
from strawberry.extensions import (
    AddValidationRules,
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
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types import ExecutionContext

from config import Settings
from db.engine import database_unavailable
from domain.errors import TopLevelCode
from schema.validation import RefuseControlCharacters

error_log = logging.getLogger("qianfa.errors")
# graphql-core ends a message with its suggestions: "Did you mean 'me'?", "Did you mean the enum value 'X'?"
_SUGGESTION = re.compile(r"\s*Did you mean .*\Z", re.DOTALL)


def is_unexpected(error: GraphQLError) -> bool:
    """Errors from our own code that were not raised on purpose as a GraphQLError."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


def strip_suggestions(error: GraphQLError) -> None:
    """Drop "Did you mean …" hints, which spell out the schema even with introspection off.

    Strawberry's own ``disable_field_suggestions`` only covers unknown fields; graphql-core
    also suggests arguments, types, input fields and enum values.
    """
    error.message = _SUGGESTION.sub("", error.message)


def give_code(error: GraphQLError) -> None:
    """Errors graphql-core and strawberry raise carry no code; give each one of the documented set, so every
    top-level error a client sees has one."""
    if (error.extensions or {}).get("code") or is_unexpected(error):
        return  # ours already has one; an unexpected one gets INTERNAL_SERVER_ERROR when masked
    if isinstance(error, GraphQLSyntaxError):
        code = TopLevelCode.GRAPHQL_PARSE_FAILED
    elif isinstance(error.original_error, StrawberryInputCoercionError) or "got invalid value" in error.message:
        code = TopLevelCode.BAD_USER_INPUT  # an argument or variable no value of its type can be (a bad id)
    elif error.path is None:
        code = TopLevelCode.GRAPHQL_VALIDATION_FAILED
    else:
        return  # graphql-core's own execution errors (a null where none may be) are ours to fix, not coded
    error.extensions = {**(error.extensions or {}), "code": code.value}


class MaskUnexpectedErrors(MaskErrors):
    """Unexpected exceptions become "Unexpected error." with code INTERNAL_SERVER_ERROR; GraphQLErrors we raise
    on purpose pass."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": TopLevelCode.INTERNAL_SERVER_ERROR.value}
        return masked


class NamedOperationExecutionContext(ExecutionContext):
    """Strawberry falls back to the document's first operation when no operationName is sent; GraphQL
    (§6.1, GetOperation) requires the name when a document holds several, so then there is none, and
    graphql-core answers with a request error, running nothing."""

    @property
    def operation_name(self) -> str | None:
        if self._provided_operation_name is not None or self.graphql_document is None:
            return super().operation_name
        operations = [d for d in self.graphql_document.definitions if isinstance(d, OperationDefinitionNode)]
        return super().operation_name if len(operations) <= 1 else None


class QianfaSchema(strawberry.Schema):
    def _create_execution_context(self, query, allowed_operation_types, variable_values=None, context_value=None,
                                  root_value=None, operation_name=None, operation_extensions=None):
        return NamedOperationExecutionContext(
            query=query, schema=self, allowed_operations=allowed_operation_types, context=context_value,
            root_value=root_value, variables=variable_values, provided_operation_name=operation_name,
            operation_extensions=operation_extensions)

    def process_errors(self, errors, execution_context=None) -> None:
        # Called with the original errors, before MaskErrors rewrites the unexpected ones.
        if self.config.disable_field_suggestions:
            for error in errors:
                strip_suggestions(error)
        for error in errors:
            give_code(error)
        # Intended errors (sign-in required, bad cursor, validation) are answers, not incidents.
        context = getattr(execution_context, "context", None)
        for error in errors:
            if is_unexpected(error):
                original = error.original_error
                if database_unavailable(original) and hasattr(context, "request"):
                    # Not a bug: the view answers the request 503 with Retry-After (server.py).
                    context.request.scope.setdefault("state", {})["database_unavailable"] = True
                    continue
                error_log.error(
                    "unexpected error in %s: %s",
                    ".".join(str(p) for p in error.path or ()) or "operation",
                    type(original).__name__,
                    exc_info=(type(original), original, original.__traceback__),
                    extra={
                        "request_id": getattr(context, "request_id", None),
                        "operation_name": getattr(execution_context, "operation_name", None),
                        "graphql_path": list(error.path or ()),
                    },
                )


class CloseRequestSession(SchemaExtension):
    """Return the request's read session to the pool once the operation is done."""

    async def on_operation(self):
        yield
        await self.execution_context.context.close()


def _global_id(type_name: str, id_attribute: str):
    return lambda source, _info: relay.GlobalID(type_name, str(getattr(source, id_attribute)))


def call_plain_resolvers_directly(schema: strawberry.Schema) -> None:
    """Let graphql-core call argument-free, synchronous resolvers itself.

    Strawberry wraps each resolver call (an Info object, argument conversion, the field-extension
    chain): about 6 µs, for an inbox page some 200 calls (a step, its assignments, an assignee). Our
    resolvers that take just ``self`` (and ``info``, of which they use only ``info.context``, which
    graphql-core's own info has too) need none of that.
    """
    for graphql_type in schema._schema.type_map.values():
        for graphql_field in getattr(graphql_type, "fields", {}).values():
            field = (graphql_field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if field is not None and field.python_name == "_id" and graphql_type.name != "Node":
                # A relay Node's global id, from the attribute its NodeID annotation names.
                origin = schema.get_type_by_name(graphql_type.name).origin
                graphql_field.resolve = _global_id(graphql_type.name, origin.resolve_id_attr())
                continue
            resolver = getattr(field, "base_resolver", None)
            if resolver is None or resolver.is_async or resolver.arguments or field.extensions:
                continue
            function = resolver.wrapped_func
            if not inspect.isfunction(function):
                continue
            parameters = tuple(inspect.signature(function).parameters)
            if parameters == ("self", "info"):
                graphql_field.resolve = function
            elif parameters == ("self",):
                graphql_field.resolve = lambda source, _info, function=function: function(source)


def _root(name: str, description: str, parts: tuple[type, ...]) -> type:
    """A root type merged from the resolver modules' parts, with its description (merge_types takes none)."""
    root = merge_types(name, parts)
    root.__strawberry_definition__.description = description
    return root


def build_schema(settings: Settings) -> strawberry.Schema:
    from resolvers.accounts import AccountMutations, AccountQueries
    from resolvers.calendar import CalendarMutations, CalendarQueries
    from resolvers.context import ReadOnlyTokens
    from resolvers.circulation import CirculationMutations, CirculationQueries
    from resolvers.document_plans import DocumentPlanMutations, DocumentPlanQueries
    from resolvers.documents import DocumentMutations, DocumentQueries
    from resolvers.duties import DutyQueries, DutySubscription
    from resolvers.governance import GovernanceMutations, GovernanceQueries
    from resolvers.incoming_requests import IncomingRequestMutations, IncomingRequestQueries
    from resolvers.disclosure import DisclosureMutations, DisclosureQueries
    from resolvers.issuing import IssuingMutations, IssuingQueries
    from resolvers.labels import LabelQueries
    from resolvers.meetings import MeetingMutations, MeetingQueries
    from resolvers.meetings_agenda import AgendaMutations, AgendaQueries
    from resolvers.meetings_decisions import MeetingDecisionMutations, MeetingDecisionQueries
    from resolvers.meetings_inbox import MeetingInboxQueries
    from resolvers.meetings_records import MeetingRecordMutations, MeetingRecordQueries
    from resolvers.mutations import Mutation
    from resolvers.powers import PowerMutations, PowerQueries
    from resolvers.proposals import ProposalMutations, ProposalQueries
    from resolvers.queries import Query
    from resolvers.supervision import SupervisionMutations, SupervisionQueries
    from resolvers.subscriptions import Subscription, SubscriptionsOverSockets

    # Depth and alias limits are validation rules. Each QueryDepthLimiter/MaxAliasesLimiter builds a
    # new rule class, and ValidationCache keys on the rule classes: built per request they would make
    # every request miss the cache. So the rules are built once here and added to every request.
    # Depth: introspection fields (__schema, __type) are not counted.
    limit_rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    extensions = [
        # Refused while parsing: the lexer stops past this many tokens.
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: AddValidationRules(limit_rules),
        RefuseControlCharacters,
        MaskUnexpectedErrors,
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        CloseRequestSession,
        SubscriptionsOverSockets,
        ReadOnlyTokens,
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    schema = QianfaSchema(
        query=_root("Query", "Reads. Every field needs a signed-in caller ('Authorization: Bearer <token>') and "
                             "reads the counties that caller may read.",
                    (Query, DocumentQueries, CirculationQueries, GovernanceQueries, CalendarQueries, AccountQueries,
                     LabelQueries, MeetingQueries, MeetingInboxQueries, MeetingDecisionQueries, AgendaQueries,
                     MeetingRecordQueries, DutyQueries, SupervisionQueries, ProposalQueries, IssuingQueries,
                     DocumentPlanQueries, IncomingRequestQueries, PowerQueries, DisclosureQueries)),
        mutation=_root("Mutation", "Changes. Each runs in one audited transaction and returns its payload, or a "
                                   "MutationError when it changed nothing; only login is open to anonymous callers.",
                       (Mutation, DocumentMutations, CirculationMutations, GovernanceMutations, CalendarMutations,
                        AccountMutations, MeetingMutations, MeetingDecisionMutations, AgendaMutations,
                        MeetingRecordMutations, SupervisionMutations, ProposalMutations, IssuingMutations,
                        DocumentPlanMutations, IncomingRequestMutations, PowerMutations, DisclosureMutations)),
        subscription=_root("Subscription", "Live updates over a WebSocket (graphql-transport-ws); sign in with "
                                           "{\"authorization\": \"Bearer <token>\"} in the connection_init payload.",
                           (Subscription, DutySubscription)),
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=not settings.debug),
    )
    call_plain_resolvers_directly(schema)
    return schema
