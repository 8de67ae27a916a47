"""The customer list: a virtual list that holds only the rows around the view.

A ScrollView whose virtual height is the result count; `render_line` draws one
row at a time from a small LRU cache of pages, and a missing page is fetched in a
thread worker. A new query bumps a generation number so a slower, older search
never overwrites a newer one (the newest query wins).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.worker import get_current_worker

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.services.views import CustomerRow, SearchPage
from tuiconsole.ui.format import inert, status_word, when
from tuiconsole.ui.keys import bindings

HEADER_LINES = 1
LINE_CACHE = 512
# A cursor move whose rows are not held yet repaints when they come, or with "…"
# placeholders after this long.
PLACEHOLDER_DELAY = 0.1


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[CustomerRow], str]
    min_width: int
    flexible: bool
    priority: int  # lower shows first when the list is narrow


COLUMNS: tuple[Column, ...] = (
    Column("Name", lambda r: inert(r.name), 14, True, 0),
    Column("Username", lambda r: inert(r.username), 12, True, 1),
    Column("Email", lambda r: inert(r.email), 18, True, 3),
    Column("Phone", lambda r: inert(r.phone), 16, False, 5),
    Column("Status", lambda r: status_word(r.status, r.must_change_password), 11, False, 2),
    Column("Last Login", lambda r: when(r.last_login_at), 16, False, 6),
    Column("Registered", lambda r: when(r.created_at), 16, False, 7),
    Column("Site", lambda r: inert(r.site_name), 16, True, 4),
)


@lru_cache(maxsize=64)
def layout(width: int, show_site: bool) -> tuple[tuple[Column, int], ...]:
    """The columns that fit in `width`, in display order, with their widths."""
    candidates = [c for c in COLUMNS if show_site or c.title != "Site"]
    chosen: list[Column] = []
    used = 0
    for col in sorted(candidates, key=lambda c: c.priority):
        need = col.min_width + (1 if chosen else 0)
        if used + need <= width or not chosen:
            chosen.append(col)
            used += need
    chosen.sort(key=candidates.index)
    spare = max(0, width - used)
    flexible = [c for c in chosen if c.flexible] or chosen
    widths = {c.title: c.min_width for c in chosen}
    for i, col in enumerate(flexible):
        share = spare // len(flexible) + (1 if i < spare % len(flexible) else 0)
        widths[col.title] += share
    return tuple((c, widths[c.title]) for c in chosen)


def _cell(text: str, width: int) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


@dataclass(frozen=True)
class LineStyles:
    base: Style
    header: Style
    cursor: Style
    pending: Style


@dataclass(frozen=True)
class ListQuery:
    scope_id: int
    text: str
    status: str


class CustomerList(ScrollView, can_focus=True):
    BINDINGS = bindings(
        "list.down", "list.up", "list.pagedown", "list.pageup", "list.home", "list.end", "list.open"
    )
    COMPONENT_CLASSES = {"customer-list--header", "customer-list--cursor", "customer-list--pending"}

    # No automatic repaint: watch_cursor repaints when the rows under the view are here.
    cursor: reactive[int] = reactive(0, init=False, repaint=False)

    class Counted(Message):
        """A search finished: how many customers match."""

        def __init__(self, total: int, exact: bool) -> None:
            super().__init__()
            self.total = total
            self.exact = exact

    class Opened(Message):
        def __init__(self, row: CustomerRow) -> None:
            super().__init__()
            self.row = row

    class Failed(Message):
        def __init__(self, error: TuiconsoleError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.total = 0
        self.exact = True
        self.show_site = False
        self.query_: ListQuery | None = None
        self.page_size = 20
        self.max_pages = 2
        self._pages: OrderedDict[int, list[CustomerRow]] = OrderedDict()
        self._pending: set[int] = set()
        # Drawn rows by (row, width, site column, style): a repaint redraws only what changed.
        self._lines: OrderedDict[tuple[object, ...], Strip] = OrderedDict()
        self._styles: LineStyles | None = None
        self._view_timer: Timer | None = None  # a move waits for its rows until it fires
        self._generation = 0
        self.searching = False
        # Counters a test reads: how many rows the services handed this widget.
        self.rows_fetched = 0
        # What the last repaint showed, and when (perf_counter): the benchmarks time
        # a key press to these. The query generation whose first page is on screen;
        # the cursor index whose row was drawn.
        self._queries = 0
        self.shown_generation = 0
        self.shown_at = 0.0
        self.cursor_shown: tuple[int, float] = (-1, 0.0)

    # --- what it holds --------------------------------------------------------

    @property
    def generation(self) -> int:
        """Rises with every new query (not with a refetch); see shown_generation."""
        return self._queries

    @property
    def held_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    @property
    def rows_height(self) -> int:
        return max(1, self.scrollable_content_region.height - HEADER_LINES)

    def row_at(self, index: int) -> CustomerRow | None:
        page_no, within = divmod(index, self.page_size)
        page = self._pages.get(page_no)
        if page is None:
            if not self.searching:  # the search itself brings the first page
                self._want(page_no)
            return None
        self._pages.move_to_end(page_no)
        return page[within] if within < len(page) else None

    @property
    def current(self) -> CustomerRow | None:
        if 0 <= self.cursor < self.total:
            return self.row_at(self.cursor)
        return None

    # --- searching --------------------------------------------------------------

    def search(self, scope_id: int, text: str, status: str, *, show_site: bool) -> None:
        """Start a new query; the previous one's results will be ignored."""
        self._generation += 1
        self._queries += 1
        self.query_ = ListQuery(scope_id, text, status)
        self.show_site = show_site
        self._size_pages()
        self._pages.clear()
        self._pending.clear()
        self._stop_view_timer()
        self.searching = True
        self._run_search(self._generation, self.query_, self.page_size)

    def _size_pages(self) -> None:
        # A page is one screen of rows and two pages are kept: the widget never
        # holds more than two screens of customers, however many match.
        self.page_size = max(5, self.rows_height)
        self.max_pages = max(2, math.ceil(self.rows_height / self.page_size) + 1)

    def refetch(self) -> None:
        """Read the rows again (a customer changed); keep the cursor and the count."""
        self._generation += 1
        self._pages.clear()
        self._pending.clear()
        if self.searching and self.query_ is not None:
            # The answer on its way is for the old generation and will be dropped
            # (e.g. the list was resized mid-search): ask again, or it never comes.
            self._run_search(self._generation, self.query_, self.page_size)
            return
        self.refresh()

    @work(thread=True, exclusive=True, group="search")
    def _run_search(self, generation: int, query: ListQuery, limit: int) -> None:
        app = self.app
        try:
            page = app.services.customers.search(  # type: ignore[attr-defined]
                app.actor, query.scope_id, query.text, status=query.status, offset=0, limit=limit  # type: ignore[attr-defined]
            )
        except TuiconsoleError as exc:
            app.call_from_thread(self._search_failed, generation, exc)
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self._search_done, generation, page)

    def _search_failed(self, generation: int, error: TuiconsoleError) -> None:
        if generation == self._generation:
            self.searching = False
            self.post_message(self.Failed(error))

    def _search_done(self, generation: int, page: SearchPage) -> None:
        if generation != self._generation:
            return  # an older query: the newest wins
        self.searching = False
        self.exact = page.exact
        self.total = page.total if page.exact else max(page.total, len(page.rows))
        self._store(0, page.rows)
        self.cursor = 0
        self.virtual_size = Size(0, self.total + HEADER_LINES)
        self.scroll_to(y=0, animate=False)
        self.refresh()
        self.call_after_refresh(self._painted, self.query_, self._queries)
        self.post_message(self.Counted(self.total, self.exact))

    def _painted(self, query: ListQuery | None = None, number: int = 0) -> None:
        now = time.perf_counter()
        if query is not None and query is self.query_:  # still the newest query
            self.shown_generation, self.shown_at = number, now
        page = self._pages.get(self.cursor // self.page_size)
        if page is not None and self.cursor % self.page_size < len(page):
            self.cursor_shown = (self.cursor, now)

    def _store(self, page_no: int, rows: list[CustomerRow]) -> None:
        self.rows_fetched += len(rows)
        self._pages[page_no] = rows
        self._pages.move_to_end(page_no)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)

    def _want(self, page_no: int, count: int = 1, *, now: bool = False) -> None:
        """Fetch `count` pages from `page_no` on (those not held or on their way)."""
        pages = [p for p in range(page_no, page_no + count) if p not in self._pending]
        if not pages or self.query_ is None:
            return
        self._pending.update(pages)
        args = (self._generation, self.query_, pages[0], pages[-1] - pages[0] + 1, self.page_size)
        if now:
            self._fetch_pages(*args)
        else:  # from inside a repaint: start the worker once the repaint is done
            self.call_later(self._fetch_pages, *args)

    @work(thread=True, group="page")
    def _fetch_pages(self, generation: int, query: ListQuery, page_no: int, count: int, size: int) -> None:
        # Several pages in one query: at an offset deep in a big list most of the
        # cost is reaching the offset, so two pages cost about what one does.
        app = self.app
        try:
            page = app.services.customers.search(  # type: ignore[attr-defined]
                app.actor,  # type: ignore[attr-defined]
                query.scope_id,
                query.text,
                status=query.status,
                offset=page_no * size,
                limit=count * size,
                with_count=False,
            )
        except TuiconsoleError as exc:
            app.call_from_thread(self._search_failed, generation, exc)
            return
        app.call_from_thread(self._pages_done, generation, page_no, count, page.rows)

    def _pages_done(self, generation: int, first: int, count: int, rows: list[CustomerRow]) -> None:
        if generation != self._generation:
            return
        size = self.page_size
        for i in range(count):
            page_no = first + i
            self._pending.discard(page_no)
            self._store(page_no, rows[i * size : (i + 1) * size])
        end = first * size + len(rows)
        if len(rows) < count * size and not self.exact:
            self.total = end  # "about N" was more than there is
            if self.cursor >= self.total:
                self.cursor = max(0, self.total - 1)  # e.g. "end" aimed past the real end
        elif not self.exact and end >= self.total:
            self.total = end + size  # more may follow
        self.virtual_size = Size(0, self.total + HEADER_LINES)
        if self._view_timer is not None:
            if not self._missing_pages(self._top_for(self.cursor)):
                self._show_view()  # the move's rows are all here
            return
        self.refresh()
        self.call_after_refresh(self._painted)

    # --- drawing ------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles are the same for every line of one repaint: look them up once
        # (rich_style walks the ancestors, ~0.1 ms a call), not once per line.
        self._styles = None
        return super().render_lines(crop)

    def _line_styles(self) -> LineStyles:
        if self._styles is None:
            self._styles = LineStyles(
                base=self.rich_style,
                header=self.get_component_rich_style("customer-list--header"),
                cursor=self.get_component_rich_style("customer-list--cursor"),
                pending=self.get_component_rich_style("customer-list--pending"),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        styles = self._line_styles()
        if y < HEADER_LINES:
            key: tuple[object, ...] = ("header", width, self.show_site, styles.header)
            strip = self._lines.get(key)
            if strip is None:
                text = " ".join(_cell(c.title, w) for c, w in layout(width, self.show_site))
                strip = self._remember(key, self._strip(text, width, styles.header))
            return strip
        index = self.scroll_offset.y + y - HEADER_LINES
        if index >= self.total:
            return Strip.blank(width, styles.base)
        row = self.row_at(index)
        style = styles.cursor if index == self.cursor else styles.base
        if row is None:
            key = ("pending", width, style)
            strip = self._lines.get(key)
            if strip is None:
                strip = self._remember(key, self._strip("…", width, style + styles.pending))
            return strip
        key = (row, width, self.show_site, style)
        strip = self._lines.get(key)
        if strip is None:
            text = " ".join(_cell(c.value(row), w) for c, w in layout(width, self.show_site))
            strip = self._remember(key, self._strip(text, width, style))
        return strip

    def _remember(self, key: tuple[object, ...], strip: Strip) -> Strip:
        self._lines[key] = strip
        if len(self._lines) > LINE_CACHE:
            self._lines.popitem(last=False)
        return strip

    @staticmethod
    def _strip(text: str, width: int, style: Style) -> Strip:
        # One plain segment padded or cut to the width: no Rich Text layout per row.
        return Strip([Segment(set_cell_size(text, width), style)], width)

    def on_resize(self, event: events.Resize) -> None:
        if self.page_size != max(5, self.rows_height):
            self._size_pages()
            self.refetch()
        self.virtual_size = Size(0, self.total + HEADER_LINES)

    # --- moving -------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        missing = self._missing_pages(self._top_for(new))
        if missing:
            self._want(missing[0], missing[-1] - missing[0] + 1, now=True)
            # Repaint once the rows are here (one screen update instead of a frame of
            # "…" and then another); show the placeholders only if they are slow.
            if self._view_timer is None:
                self._view_timer = self.set_timer(PLACEHOLDER_DELAY, self._show_view)
            return
        self._show_view()

    def _top_for(self, cursor: int) -> int:
        """The first row shown once the view follows `cursor`."""
        top = self.scroll_offset.y
        if cursor < top:
            return cursor
        if cursor >= top + self.rows_height:
            return cursor - self.rows_height + 1
        return top

    def _missing_pages(self, top: int) -> list[int]:
        if self.searching or not self.total:
            return []  # the search brings the first page itself
        last = min(self.total, top + self.rows_height) - 1
        missing = []
        for page_no in range(top // self.page_size, last // self.page_size + 1):
            if page_no in self._pages:
                self._pages.move_to_end(page_no)  # needed: the last to be dropped
            else:
                missing.append(page_no)
        return missing

    def _show_view(self) -> None:
        """Scroll to where the cursor is and repaint."""
        self._stop_view_timer()
        top = self._top_for(self.cursor)
        if top != self.scroll_offset.y:
            self.scroll_to(y=top, animate=False)
        self.refresh()
        self.call_after_refresh(self._painted)

    def _stop_view_timer(self) -> None:
        if self._view_timer is not None:
            self._view_timer.stop()
            self._view_timer = None

    def _move(self, to: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, to))

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_page_down(self) -> None:
        self._move(self.cursor + self.rows_height)

    def action_page_up(self) -> None:
        self._move(self.cursor - self.rows_height)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(self.total - 1)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_LINES:
            return
        index = self.scroll_offset.y + offset.y - HEADER_LINES
        if 0 <= index < self.total:
            self.cursor = index
            if event.chain >= 2:  # double-click = Enter
                self.action_open()
