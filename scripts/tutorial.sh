#!/usr/bin/env bash
# The customer-360 tutorial's questions (steps 1-5, spec/query.md §17
# corrections applied), answered by the loom CLI over two data sets: the
# tutorial's own records, and a generated graph of a few thousand records.
#   usage: scripts/tutorial.sh LOOM_BINARY WORK_DIR
set -euo pipefail
loom=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
db="$work/tutorial.db"

step() { printf '\n== %s\n' "$1"; }
query() { "$loom" --db "$db" --format table query "$1"; }

step "Load the tutorial's graph (accounts, users, subscriptions, invoices, touchpoints, tickets, feature usage)"
"$loom" gen --tutorial -o "$work/tutorial.jsonl"
"$loom" --db "$db" import --no-progress "$work/tutorial.jsonl"

step "Step 1: users by email"
query '{"labels":["USER"],"where":{"email":{"$in":["alice@acme.com","bob@acme.com"]}}}'

step "Step 2: invoice history"
query '{"labels":["INVOICE"],"orderBy":{"month":"asc"}}'

step "Step 3: enterprise accounts with an overdue invoice"
query '{"labels":["ACCOUNT"],"where":{"plan":"enterprise","SUBSCRIPTION":{"$relation":{"type":"HAS_SUBSCRIPTION","direction":"out"},"INVOICE":{"$relation":{"type":"HAS_INVOICE","direction":"out"},"status":"overdue"}}}}'

step "Step 4: MRR by region (select + groupBy; the tutorial's groupBy [\"region\", \"totalMrr\"] is D1)"
query '{"labels":["ACCOUNT"],"where":{"SUBSCRIPTION":{"$relation":{"type":"HAS_SUBSCRIPTION","direction":"out"},"status":"active"}},"select":{"totalMrr":{"$sum":"$record.mrr"},"region":"$record.region"},"groupBy":["region","totalMrr"],"orderBy":{"totalMrr":"desc"}}'

step "Step 5: full context for Acme Corp's support ticket"
acme=$("$loom" --db "$db" --format jsonl query '{"labels":["ACCOUNT"],"where":{"name":"Acme Corp"}}' |
       grep -o '"__id":"[^"]*"' | head -1 | cut -d'"' -f4)
echo "account $acme"
query "{\"labels\":[\"ACCOUNT\"],\"where\":{\"__id\":\"$acme\"}}"
echo "active subscription:"
query "{\"labels\":[\"SUBSCRIPTION\"],\"where\":{\"ACCOUNT\":{\"\$relation\":{\"type\":\"HAS_SUBSCRIPTION\",\"direction\":\"in\"},\"__id\":\"$acme\"},\"status\":\"active\"}}"
echo "overdue invoices (read the total):"
query "{\"labels\":[\"INVOICE\"],\"where\":{\"SUBSCRIPTION\":{\"\$relation\":{\"type\":\"HAS_INVOICE\",\"direction\":\"in\"},\"ACCOUNT\":{\"\$relation\":{\"type\":\"HAS_SUBSCRIPTION\",\"direction\":\"in\"},\"__id\":\"$acme\"}},\"status\":\"overdue\"}}"
echo "recent tickets (the tutorial's BELONGS_TO direction corrected to out, examples.md E5d):"
query "{\"labels\":[\"SUPPORT_TICKET\"],\"where\":{\"USER\":{\"\$relation\":{\"type\":\"CREATED\",\"direction\":\"in\"},\"ACCOUNT\":{\"\$relation\":{\"type\":\"BELONGS_TO\",\"direction\":\"out\"},\"__id\":\"$acme\"}}},\"orderBy\":{\"createdAt\":\"desc\"},\"limit\":5}"

step "The same step-3 question over a generated customer-360 graph (scale 5)"
"$loom" gen --scale 5 -o "$work/c360.jsonl"
"$loom" --db "$work/c360.db" import --no-progress "$work/c360.jsonl"
"$loom" --db "$work/c360.db" --format table query '{"labels":["ACCOUNT"],"where":{"plan":"enterprise","SUBSCRIPTION":{"$relation":{"type":"HAS_SUBSCRIPTION","direction":"out"},"INVOICE":{"$relation":{"type":"HAS_INVOICE","direction":"out"},"status":"overdue"}}},"limit":5}'
"$loom" --db "$work/c360.db" --format table explain --analyze '{"labels":["ACCOUNT"],"where":{"plan":"enterprise","SUBSCRIPTION":{"$relation":{"type":"HAS_SUBSCRIPTION","direction":"out"},"INVOICE":{"$relation":{"type":"HAS_INVOICE","direction":"out"},"status":"overdue"}}}}'
step "Step 4 over the generated graph: MRR by region, and the most used features"
"$loom" --db "$work/c360.db" --format table query '{"labels":["ACCOUNT"],"where":{"SUBSCRIPTION":{"$relation":{"type":"HAS_SUBSCRIPTION","direction":"out"},"status":"active"}},"select":{"totalMrr":{"$sum":"$record.mrr"},"accounts":{"$count":"*"}},"groupBy":["$record.region"],"orderBy":{"totalMrr":"desc"}}'
"$loom" --db "$work/c360.db" --format table query '{"labels":["FEATURE_USAGE"],"select":{"uses":{"$sum":"$record.count"},"records":{"$count":"*"}},"groupBy":["$record.feature"],"orderBy":{"uses":"desc"},"limit":5}'
"$loom" --db "$work/c360.db" check
