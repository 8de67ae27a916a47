from testkit import actor, customer_id


def test_search_and_reset_email(seeded):
    casey = actor(seeded, "casey.csr")
    acme = seeded.scopes.by_code(casey, "acme")
    page = seeded.customers.search(casey, acme.id, "ja do")
    assert any(r.username == "jdoe" for r in page.rows)
    cid = customer_id(seeded, "acme-us", "jdoe")
    result = seeded.resets.send_reset_email(casey, cid)
    assert "j***@example.com" in result.read_to_customer
    details = seeded.customers.get(casey, cid)
    assert details.pending_ticket is not None
