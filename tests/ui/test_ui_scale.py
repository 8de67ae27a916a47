"""The customer list with 100,000 customers: only the visible window is read and held."""

from __future__ import annotations

from dbkit import bulk_insert_customers
from test_ui_flow import open_main
from uikit import settle

pytest_plugins = ("uifixtures",)  # the console_app fixture

N = 100_000


async def test_list_holds_at_most_two_screens_of_rows(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    bulk_insert_customers(seeded_sqlite, "globex-de", N)
    asked: list[int] = []
    search = seeded_sqlite.customers.search

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        page = search(*args, **kwargs)
        asked.append(len(page.rows))
        return page

    seeded_sqlite.customers.search = counting  # instrument the service call
    app = console_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_main(pilot)
        clist = screen.customer_list
        screen_rows = clist.rows_height
        assert screen.query_one("#count").render().plain.startswith("about ")  # type: ignore[attr-defined]
        assert clist.total >= 10_000
        assert sum(asked) <= 2 * screen_rows  # opening read one window, not all rows
        assert clist.held_rows <= 2 * screen_rows

        clist.focus()
        for key in ("pagedown", "pagedown", "end", "pageup", "home", "down"):
            await pilot.press(key)
            await settle(pilot)
            assert clist.held_rows <= 2 * screen_rows
            assert clist.current is not None  # the row under the cursor was fetched
        assert clist.cursor == 1
        assert max(asked) <= 2 * clist.page_size  # a jump reads the view's two pages in one query
        assert sum(asked) < 20 * screen_rows  # a handful of windows for six moves
