// GraphQL-over-HTTP conformance audit (graphql-http's auditServer) against a running server.
//
//   node tests/js/audit.mjs http://127.0.0.1:8000/graphql
//
// Prints one line per audit and a summary line. Exits 1 when any MUST audit fails ("error"),
// 2 on bad usage or when the server cannot be audited at all. SHOULD/MAY misses ("warn",
// "notice") are printed with their reason but allowed.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url || !/^https?:\/\//.test(url)) {
  console.error('usage: node tests/js/audit.mjs http://HOST:PORT/graphql');
  process.exit(2);
}

async function reasonOf(result) {
  let body = '';
  try {
    body = await result.response.text();
  } catch {
    // body already read by the audit, or the connection is gone: the reason is enough
  }
  const status = result.response ? ` [HTTP ${result.response.status}]` : '';
  return `${result.reason}${status}${body ? ` body: ${body.slice(0, 300)}` : ''}`;
}

let results;
try {
  results = await auditServer({ url });
} catch (error) {
  console.error(`audit could not run against ${url}: ${error?.stack ?? error}`);
  process.exit(2);
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] = (counts[result.status] ?? 0) + 1;
  const label = result.status.toUpperCase().padEnd(6);
  if (result.status === 'ok') {
    console.log(`${label} ${result.id} ${result.name}`);
  } else {
    console.log(`${label} ${result.id} ${result.name}\n       ${await reasonOf(result)}`);
  }
}
console.log(
  `audit: ${results.length} audits, ${counts.ok} ok, ${counts.warn} warn, ` +
    `${counts.notice} notice, ${counts.error} error`,
);
process.exit(counts.error > 0 ? 1 : 0);
