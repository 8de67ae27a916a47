"""Hostile input (SPEC §9, §10.9): hypothesis over profile editing, policy, option editing,
the seed loader, the CSV import and what the console renders. Never a crash: a clear
error (TuiconsoleError with a message) or a clean success; on an error nothing is written."""

from __future__ import annotations

import io
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from reliability.hostile import NAMED, hostile_text
from testkit import SEED_DIR, actor, customer_id, make_services
from tuiconsole.domain.errors import SeedError, TuiconsoleError
from tuiconsole.domain.options import OPTION_NAMES
from tuiconsole.services.customer_import import import_customers
from tuiconsole.services.seed.loader import load_seed
from tuiconsole.services.views import ProfileChanges
from tuiconsole.store.models import ActivityEvent, Customer, ResetOptionsRow, Scope
from tuiconsole.ui.format import inert, plain

BENCH = os.environ.get("HYPOTHESIS_PROFILE") == "bench"
EXAMPLES = 300 if BENCH else 30
reuse_db = settings(
    max_examples=EXAMPLES, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def count(svc, model) -> int:  # type: ignore[no-untyped-def]
    with svc.ctx.read() as s:
        return int(s.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def assert_clear(exc: TuiconsoleError) -> None:
    assert exc.message.strip() and "Traceback" not in exc.message


# --- profile editing ----------------------------------------------------------------


@reuse_db
@given(field=st.sampled_from(["first_name", "last_name", "phone", "email"]), value=hostile_text)
def test_profile_editing_takes_clean_text_or_refuses_it_whole(seeded_sqlite, field, value):
    svc = seeded_sqlite
    ada, jdoe = actor(svc, "ada.admin"), customer_id(svc, "acme-us", "jdoe")
    before, events = svc.customers.get(ada, jdoe), count(svc, ActivityEvent)
    try:
        after = svc.customers.update_profile(
            ada, jdoe, before.version, ProfileChanges(**{field: value}), verified_by="email on file"
        )
    except TuiconsoleError as exc:
        assert_clear(exc)
        assert svc.customers.get(ada, jdoe) == before and count(svc, ActivityEvent) == events
        return
    stored = getattr(after, field) or ""
    assert not any(unicodedata.category(ch) == "Cc" for ch in stored)
    assert after.version in (before.version, before.version + 1)


# --- password policy ------------------------------------------------------------------


@reuse_db
@given(password=hostile_text)
def test_a_typed_password_is_checked_never_crashes_and_never_stored_in_clear(seeded_sqlite, password):
    svc = seeded_sqlite
    ada, jdoe = actor(svc, "ada.admin"), customer_id(svc, "acme-us", "jdoe")
    report = svc.resets.check_password(ada, jdoe, password, password)
    with svc.ctx.read() as s:
        old_hash = s.get(Customer, jdoe).password_hash
    try:
        svc.resets.set_password(ada, jdoe, password, password, temporary=True, notify=False, verified_by="call-back")
    except TuiconsoleError as exc:
        assert_clear(exc)
        assert password not in exc.message or len(password) < 4
        with svc.ctx.read() as s:
            assert s.get(Customer, jdoe).password_hash == old_hash
        return
    assert report.report.ok
    with svc.ctx.read() as s:
        stored = s.get(Customer, jdoe).password_hash
    assert stored.startswith("$argon2id$") and password not in stored


# --- option editing ----------------------------------------------------------------------


@reuse_db
@given(name=st.sampled_from(sorted(OPTION_NAMES)), value=st.one_of(hostile_text, st.integers(), st.booleans()))
def test_option_editing_accepts_a_valid_value_or_changes_nothing(seeded_sqlite, name, value):
    svc = seeded_sqlite
    sam = actor(svc, "sam.supervisor")
    site = svc.scopes.by_code(sam, "acme-us")
    before = svc.scopes.options(sam, site.id)
    try:
        svc.scopes.update_options(sam, site.id, {name: value})
    except TuiconsoleError as exc:
        assert_clear(exc)
        assert svc.scopes.options(sam, site.id) == before
        return
    after = svc.scopes.options(sam, site.id)
    assert all(not (isinstance(v, str) and any(unicodedata.category(c) == "Cc" for c in v))
               for v in after.set_here.values())


# --- seed loader ---------------------------------------------------------------------------

SEED_COLUMNS = ("site", "username", "email", "first_name", "last_name", "phone", "password", "status")


@pytest.fixture
def seed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "seed"
    folder.mkdir()
    for name in ("scopes.toml", "hashes.toml"):
        shutil.copy(SEED_DIR / name, folder / name)
    return folder


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(column=st.sampled_from(SEED_COLUMNS), value=hostile_text)
def test_the_seed_loader_loads_a_hostile_row_or_names_file_and_line_and_writes_nothing(
    sqlite_template, seed_folder, fast_hasher, clock, tmp_path_factory, column, value
):
    row = {"site": "acme-us", "username": "hostile", "email": "h@example.com", "first_name": "H",
           "last_name": "Ostile", "phone": "", "password": "customer", "status": "active"}
    row[column] = value
    import csv

    with (seed_folder / "customers.csv").open("w", encoding="utf-8", errors="surrogatepass", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SEED_COLUMNS)
        writer.writerow([row[c] for c in SEED_COLUMNS])
    db = tmp_path_factory.mktemp("seeddb") / "t.db"
    shutil.copy(sqlite_template, db)
    svc = make_services(f"sqlite:///{db}", clock, fast_hasher, demo=True)
    try:
        try:
            load_seed(svc.ctx.sessions, seed_folder, now=clock.now(), actor="cli:test", demo=True)
        except SeedError as exc:
            assert_clear(exc)
            assert exc.message.startswith(("customers.csv:", str(seed_folder)))
            assert count(svc, Customer) == 0 and count(svc, Scope) == 0  # nothing half-written
            return
        assert count(svc, Customer) == 1
    finally:
        svc.close()


# --- CSV import ---------------------------------------------------------------------------

IMPORT_COLUMNS = ("username", "email", "first_name", "last_name", "phone")


@reuse_db
@given(column=st.sampled_from(IMPORT_COLUMNS), value=hostile_text, all_or_nothing=st.booleans())
def test_the_csv_import_reports_a_hostile_row_by_line_and_keeps_all_or_nothing(
    seeded_sqlite, tmp_path_factory, column, value, all_or_nothing
):
    import csv

    svc = seeded_sqlite
    ada = actor(svc, "ada.admin")
    good = {"username": "import.good", "email": "good@example.com", "first_name": "Good", "last_name": "Row",
            "phone": "+1 555 0100"}
    bad = {**good, "username": "import.hostile", "email": "hostile@example.com", column: value}
    path = tmp_path_factory.mktemp("import") / "customers.csv"
    with path.open("w", encoding="utf-8", errors="surrogatepass", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(IMPORT_COLUMNS)
        writer.writerow([good[c] for c in IMPORT_COLUMNS])
        writer.writerow([bad[c] for c in IMPORT_COLUMNS])
    before = count(svc, Customer)
    try:
        result = import_customers(svc.ctx, ada, "acme-us", path, all_or_nothing=all_or_nothing)
    except TuiconsoleError as exc:  # e.g. the whole file unreadable: nothing imported
        assert_clear(exc)
        assert count(svc, Customer) == before
        return
    try:
        assert all(p.line in (2, 3) and p.what for p in result.problems)
        if result.problems and all_or_nothing:
            assert result.imported == 0 and count(svc, Customer) == before
        else:
            assert count(svc, Customer) == before + result.imported
    finally:
        with svc.ctx.uow() as s:  # next example starts from the seed again
            s.execute(sa.delete(ActivityEvent).where(ActivityEvent.customer_id.in_(
                sa.select(Customer.id).where(Customer.username.like("import.%")))))
            s.execute(sa.delete(Customer).where(Customer.username.like("import.%")))


# --- what the console renders ------------------------------------------------------------


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(value=hostile_text)
def test_rendered_customer_text_is_inert(value):
    shown = inert(value)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") and ch != "\u200d" for ch in shown)
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system=None, width=200).print(plain(value))
    assert "\x1b" not in out.getvalue()  # the data's escapes are shown as text, never sent
    if value.strip() and value.isprintable():
        assert plain(value).plain == value  # markup stays as typed


# --- the table of named bad inputs -------------------------------------------------------------


def test_each_named_bad_input_gets_a_clear_message_and_changes_nothing(seeded_sqlite):
    """The table in docs/reliability.md: each bad input, where, and what the user reads."""
    from reliability.figures import report

    svc = seeded_sqlite
    ada, jdoe = actor(svc, "ada.admin"), customer_id(svc, "acme-us", "jdoe")
    rows: list[str] = []
    for name, value in NAMED.items():
        for where, call in (
            ("profile: last name", lambda v: svc.customers.update_profile(
                ada, jdoe, svc.customers.get(ada, jdoe).version, ProfileChanges(last_name=v))),
            ("typed password", lambda v: svc.resets.set_password(
                ada, jdoe, "Aa1!" + v, "Aa1!" + v, temporary=True, notify=False, verified_by="call-back")),
            ("option email_from_name", lambda v: svc.scopes.update_options(
                ada, svc.scopes.by_code(ada, "acme-us").id, {"email_from_name": v})),
        ):
            before = (svc.customers.get(ada, jdoe), count(svc, ActivityEvent), count(svc, ResetOptionsRow))
            try:
                call(value)
                message = "accepted (shown inert)"
            except TuiconsoleError as exc:
                assert_clear(exc)
                assert (svc.customers.get(ada, jdoe), count(svc, ActivityEvent), count(svc, ResetOptionsRow)) == before
                message = exc.message
            rows.append(f"| {name} | {where} | {message} |")
    report("hostile table", rows)
    assert len(rows) == 3 * len(NAMED)
