// Starts GraphiQL on the /graphql page (a file, not an inline script: the page's
// Content-Security-Policy allows scripts from this server only).
(function () {
  "use strict";

  var DEFAULT_QUERY = [
    "# 签发 qianfa: the county's official-document flow over GraphQL.",
    "#",
    "# 1. Sign in (`make run` prints the demo accounts):",
    "#      mutation {",
    "#        login(username: \"…\", password: \"…\") {",
    "#          ... on LoginSuccess { token }",
    "#        }",
    "#      }",
    "# 2. Paste the token in the Headers pane below:",
    "#      { \"Authorization\": \"Bearer <token>\" }",
    "# 3. Ctrl-Enter runs the query; Ctrl-Space completes.",
    "",
    "{",
    "  me {",
    "    username",
    "  }",
    "}",
    "",
  ].join("\n");

  // The page is served at the GraphQL endpoint itself, so that is where queries go.
  var endpoint = window.location.origin + window.location.pathname;
  var fetcher = GraphiQL.createFetcher({
    url: endpoint,
    // Subscriptions: graphql-transport-ws on the same path; the Headers pane's object is sent as
    // the connection_init payload, which is where the server reads the bearer token of a socket.
    subscriptionUrl: endpoint.replace(/^http/, "ws"),
    // Plain application/json requests (the server offers no incremental delivery).
    enableIncrementalDelivery: false,
  });

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: DEFAULT_QUERY,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: "headers",
      // Bearer tokens stay out of localStorage: a shared office computer keeps no one's session.
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
    })
  );
})();
