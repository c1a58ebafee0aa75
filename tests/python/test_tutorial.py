"""The customer-360 tutorial's steps 1-5 exactly as written for RushDB's
Python SDK (shared/seed/customer-360-tutorial.txt, indentation restored); only
the import and the constructor are changed."""

from concurrent.futures import ThreadPoolExecutor

from loom import RushDB


def test_tutorial_steps_1_to_5(tmp_path, capsys):
    db = RushDB(str(tmp_path / "c360.db"))

    # Step 1: Ingest account and user data
    account = db.records.create("ACCOUNT", {
        "name": "Acme Corp",
        "plan": "enterprise",
        "region": "EU",
        "mrr": 1200,
        "createdAt": "2024-01-15"
    })

    db.records.import_json({
        "label": "USER",
        "data": [
            {"email": "alice@acme.com", "name": "Alice", "role": "admin", "lastActiveAt": "2025-03-01"},
            {"email": "bob@acme.com", "name": "Bob", "role": "member", "lastActiveAt": "2025-02-20"}
        ]
    })

    users = db.records.find({
        "labels": ["USER"],
        "where": {"email": {"$in": ["alice@acme.com", "bob@acme.com"]}}
    })

    for user in users.data:
        db.records.attach(user.id, account.id, {"type": "BELONGS_TO", "direction": "out"})

    # Step 2: Add subscription and invoice history
    subscription = db.records.create("SUBSCRIPTION", {
        "plan": "enterprise",
        "status": "active",
        "startedAt": "2024-01-15",
        "renewsAt": "2026-01-15",
        "seats": 25
    })

    db.records.attach(account.id, subscription.id, {"type": "HAS_SUBSCRIPTION", "direction": "out"})

    db.records.import_json({
        "label": "INVOICE",
        "data": [
            {"month": "2025-01", "amount": 1200, "status": "paid", "paidAt": "2025-01-05"},
            {"month": "2025-02", "amount": 1200, "status": "paid", "paidAt": "2025-02-05"},
            {"month": "2025-03", "amount": 1200, "status": "overdue", "paidAt": None}
        ]
    })

    invoices = db.records.find({"labels": ["INVOICE"]})
    for invoice in invoices.data:
        db.records.attach(subscription.id, invoice.id, {"type": "HAS_INVOICE", "direction": "out"})

    # Step 3: Query accounts with overdue invoices
    overdue_accounts = db.records.find({
        "labels": ["ACCOUNT"],
        "where": {
            "plan": "enterprise",
            "SUBSCRIPTION": {
                "$relation": {"type": "HAS_SUBSCRIPTION", "direction": "out"},
                "INVOICE": {
                    "$relation": {"type": "HAS_INVOICE", "direction": "out"},
                    "status": "overdue"
                }
            }
        }
    })

    print(f"Accounts with overdue invoices: {overdue_accounts.total}")
    for acct in overdue_accounts.data:
        print(f" {acct.get('name')} — MRR: {acct.get('mrr')}")

    # Step 4: MRR by region (select expressions)
    mrr_by_region = db.records.find({
        "labels": ["ACCOUNT"],
        "where": {
            "SUBSCRIPTION": {
                "$relation": {"type": "HAS_SUBSCRIPTION", "direction": "out"},
                "status": "active"
            }
        },
        "select": {
            "totalMrr": {"$sum": "$record.mrr"},
            "region": "$record.region"
        },
        "groupBy": ["region", "totalMrr"],
        "orderBy": {"totalMrr": "desc"}
    })

    for row in mrr_by_region.data:
        print(f"{row.data.get('region')}: ${row.data.get('totalMrr')}")

    # Step 5: Full context for a support ticket
    def get_account_context(account_id: str) -> dict:
        with ThreadPoolExecutor(max_workers=4) as executor:
            fut_acct = executor.submit(db.records.find, {"labels": ["ACCOUNT"], "where": {"__id": account_id}})
            fut_sub = executor.submit(db.records.find, {"labels": ["SUBSCRIPTION"], "where": {"ACCOUNT": {"$relation": {"type": "HAS_SUBSCRIPTION", "direction": "in"}, "__id": account_id}, "status": "active"}})
            fut_inv = executor.submit(db.records.find, {"labels": ["INVOICE"], "where": {"SUBSCRIPTION": {"$relation": {"type": "HAS_INVOICE", "direction": "in"}, "ACCOUNT": {"$relation": {"type": "HAS_SUBSCRIPTION", "direction": "in"}, "__id": account_id}}, "status": "overdue"}})
            fut_tick = executor.submit(db.records.find, {"labels": ["SUPPORT_TICKET"], "where": {"USER": {"$relation": {"type": "CREATED", "direction": "in"}, "ACCOUNT": {"$relation": {"type": "BELONGS_TO", "direction": "in"}, "__id": account_id}}}, "orderBy": {"createdAt": "desc"}, "limit": 5})

            return {
                "account": fut_acct.result().data[0].data if fut_acct.result().data else None,
                "activeSubscription": fut_sub.result().data[0].data if fut_sub.result().data else None,
                "overdueCount": fut_inv.result().total,
                "recentTickets": [t.data for t in fut_tick.result().data]
            }

    context = get_account_context(account.id)

    out = capsys.readouterr().out.splitlines()
    assert out == ["Accounts with overdue invoices: 1", " Acme Corp — MRR: 1200", "EU: $1200"]
    assert len(users.data) == 2
    assert invoices.total == 3
    assert context["account"]["name"] == "Acme Corp"
    assert context["account"]["__id"] == account.id
    assert context["activeSubscription"]["seats"] == 25
    assert context["overdueCount"] == 1
    assert context["recentTickets"] == []  # no tickets were created (and the tutorial's direction is "in")
    db.close()
