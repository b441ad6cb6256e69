"""GraphQL resolvers: translate between the schema's types and the services."""
