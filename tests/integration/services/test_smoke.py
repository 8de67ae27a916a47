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


def test_an_estimated_count_is_never_below_the_rows_shown(seeded, monkeypatch):
    """A sampled estimate can miss rare matches; "about 0" above a page of rows would confuse a CSR."""
    from tuiconsole.store.repositories.customers import CustomerRepository

    casey = actor(seeded, "casey.csr")
    acme = seeded.scopes.by_code(casey, "acme")
    monkeypatch.setattr(CustomerRepository, "count", lambda self, *a, **k: (0, False))
    page = seeded.customers.search(casey, acme.id, "ja do", offset=0, limit=5)
    assert page.rows
    assert page.total == len(page.rows)
    assert page.exact is False
