"""The Activity screen: filters, the per-day sparklines, CSV export with progress."""

from __future__ import annotations

import csv
from pathlib import Path

from screens_kit import cell_texts, opened, scope, screen_app, settle
from textual.widgets import Checkbox, DataTable, Input, Label, ProgressBar, Select, Sparkline, Static

from testkit import actor, customer_id
from tuiconsole.ui.screens.activity import ActivityScreen, default_export_path, parse_day
from tuiconsole.ui.screens.screen_dialogs import TextPrompt


def reset_and_unlock(svc) -> None:  # type: ignore[no-untyped-def]
    """One reset email (acme-us) and one unlock (acme-uk), by the CSR."""
    csr = actor(svc, "casey.csr")
    svc.resets.send_reset_email(csr, customer_id(svc, "acme-us", "jdoe"))
    svc.customers.unlock(csr, customer_id(svc, "acme-uk", "maria.lopez"))


def actions_shown(screen) -> list[str]:  # type: ignore[no-untyped-def]
    return [row[2] for row in cell_texts(screen.query_one(DataTable))]


def label_text(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Label).render())


async def test_filters_narrow_the_trail(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    reset_and_unlock(seeded_sqlite)
    app = screen_app(seeded_sqlite, clock, lambda: ActivityScreen(scope(seeded_sqlite, "acme-uk")))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        assert {"reset_email_sent", "unlocked", "seed_loaded"} <= set(actions_shown(screen))

        screen.query_one("#act-actor", Input).value = "casey"
        await settle(pilot, lambda: set(actions_shown(screen)) == {"reset_email_sent", "unlocked", "console_login"})

        screen.query_one("#act-action", Select).value = "unlocked"
        await settle(pilot, lambda: actions_shown(screen) == ["unlocked"])

        screen.query_one("#act-action", Select).clear()
        screen.query_one("#act-scope-only", Checkbox).value = True  # acme-uk only
        await settle(pilot, lambda: actions_shown(screen) == ["unlocked"])
        assert "1 event" in str(screen.query_one("#act-count", Static).render())


async def test_dates_are_validated_with_a_clear_message(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = screen_app(seeded_sqlite, clock, ActivityScreen)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        rows_before = screen.query_one(DataTable).row_count
        since = screen.query_one("#act-since", Input)
        since.value = "23/11/2026"
        await settle(pilot)
        assert "Since: type a date as YYYY-MM-DD" in label_text(screen, "#act-filter-error")
        since.value = "2026-02-30"
        await settle(pilot)
        assert "2026-02-30 is not a real date" in label_text(screen, "#act-filter-error")
        since.value = "2026-11-23"
        screen.query_one("#act-until", Input).value = "2026-11-01"
        await settle(pilot)
        assert "Until is before Since" in label_text(screen, "#act-filter-error")
        assert screen.query_one(DataTable).row_count == rows_before  # the last good result stays
        screen.query_one("#act-until", Input).value = "2026-11-23"
        await settle(pilot)
        assert not screen.query_one("#act-filter-error", Label).display
        assert screen.query_one(DataTable).row_count == rows_before  # everything is from today
        screen.query_one("#act-since", Input).value = "2026-11-24"
        screen.query_one("#act-until", Input).value = ""
        await settle(pilot, lambda: screen.query_one(DataTable).row_count == 0)
        assert "No events match" in str(screen.query_one("#act-count", Static).render())


def test_parse_day() -> None:
    assert parse_day("", "Since") is None
    assert str(parse_day(" 2026-11-23 ", "Since")) == "2026-11-23"


async def test_sparklines_count_resets_and_unlocks_per_day(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    reset_and_unlock(seeded_sqlite)
    app = screen_app(seeded_sqlite, clock, ActivityScreen)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        resets = screen.query_one("#spark-resets", Sparkline).data
        unlocks = screen.query_one("#spark-unlocks", Sparkline).data
        assert resets is not None and unlocks is not None
        assert len(resets) == 30 and resets[-1] == 1 and sum(resets) == 1
        assert unlocks[-1] == 1 and sum(unlocks) == 1
        assert "1 in 30 days" in label_text(screen, "#spark-resets-total")
        assert "2026-10-25 to 2026-11-23" in label_text(screen, "#spark-caption")


async def export_to(pilot, screen, path: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("x")
    await settle(pilot, lambda: isinstance(pilot.app.screen, TextPrompt))
    prompt = pilot.app.screen
    assert prompt.query_one("#prompt-value", Input).value == default_export_path(clock_day())
    prompt.query_one("#prompt-value", Input).value = path
    await pilot.press("ctrl+s")
    await settle(pilot, lambda: pilot.app.screen is screen and not screen.exporting)


def clock_day():  # type: ignore[no-untyped-def]
    from testkit import START

    return START.date()


async def test_export_writes_csv_and_the_progress_finishes(seeded_sqlite, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reset_and_unlock(seeded_sqlite)
    app = screen_app(seeded_sqlite, clock, ActivityScreen, username="sam.supervisor")
    out = tmp_path / "activity.csv"
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        await export_to(pilot, screen, str(out))
        bar = screen.query_one("#act-progress", ProgressBar)
        assert bar.display and bar.total and bar.progress == bar.total
        status = str(screen.query_one("#act-export-status", Static).render())
        assert status.startswith("Exported ") and str(out) in status
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["at", "actor", "scope", "customer", "action", "outcome", "details"]
    assert {"reset_email_sent", "unlocked"} <= {r[4] for r in rows[1:]}
    assert f"Exported {len(rows) - 1} events" in status


async def test_export_to_an_unwritable_path_says_why(seeded_sqlite, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = screen_app(seeded_sqlite, clock, ActivityScreen, username="sam.supervisor")
    target = tmp_path / "no-such-folder" / "activity.csv"
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        await export_to(pilot, screen, str(target))
        status = str(screen.query_one("#act-export-status", Static).render())
        assert status.startswith("Export failed: Cannot write") and "does not exist" in status
        assert not screen.query_one("#act-progress", ProgressBar).display
        assert screen.check_action("export", ()) is True  # may try again
    assert not target.parent.exists()


async def test_a_csr_cannot_export(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = screen_app(seeded_sqlite, clock, ActivityScreen, username="casey.csr")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        assert screen.check_action("export", ()) is False
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is screen
