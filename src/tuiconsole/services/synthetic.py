"""Synthetic customers for scale demos and benchmarks (`tuiconsole demo --customers N`).

Realistic enough to exercise the console: varied names (accents, apostrophes,
hyphens), usernames unique per site, some customers without email or phone, a few
disabled, locked or must-change, spread-out creation and last-login dates. Every
customer that has a password shares ONE precomputed argon2id hash: hashing a
million passwords would take hours and proves nothing.

Rows go in with executemany (COPY on PostgreSQL) in batches, one transaction per
batch, so a million customers take well under a minute on SQLite.
"""

from __future__ import annotations

import queue
import random
import re
import threading
import tomllib
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tuiconsole.resources import seed_data_dir
from tuiconsole.store.models import Customer, Scope
from tuiconsole.store.repositories.customers import bulk_insert_customers, bulk_load, sqlite_datetime

BATCH = 50_000
BULK_MIN = 50_000  # from here on, indexes built once at the end beat keeping them in step
_NON_DIGIT = re.compile(r"\D+")
ProgressFn = Callable[[int], None]

FIRST_NAMES = (
    "James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy "
    "Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly Andrew Emily "
    "Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah "
    "Timothy Stephanie Ronald Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Amy "
    "Jacob Kathleen Gary Angela Nicholas Shirley Eric Brenda Jonathan Emma Stephen Anna "
    "Larry Pamela Justin Nicole Scott Samantha Brandon Katherine Benjamin Christine Samuel "
    "Helen Gregory Debra Alexander Rachel Patrick Carolyn Frank Janet Raymond Maria Jack "
    "Olivia Dennis Heather Jerry Diane Tyler Julie Aaron Joyce Henry Victoria Adam Ruth "
    "Nathan Virginia Zachary Lauren Peter Kelly Kyle Christina Noah Joan Ethan Evelyn "
    "Jeremy Judith Christian Andrea Sean Hannah Austin Megan Arthur Cheryl Lawrence Jacqueline "
    "Dylan Martha Jesse Madison Jordan Teresa Bryan Gloria Billy Sara Bruce Janice Gabriel "
    "Priya Aarav Ananya Rohan Mei Wei Hiroshi Yuki Sakura Kenji Fatima Omar Aisha Yusuf "
    "Chidi Ngozi Kwame Amara Olga Ivan Dmitri Svetlana Lars Ingrid Sven Astrid Pierre "
    "Camille Hugo Léa Zoë Chloé Noémie Hélène Jérôme François Émile José María Lucía "
    "Martín Sofía Inés Ángel Raúl Jürgen Björn Jörg Søren Øyvind Åsa Łukasz Paweł Małgorzata "
    "Dóra Zoltán Tomás Seán Siobhán Niamh Ciarán Aoife Renée Anaïs João Conceição Thiago "
    "Nguyễn Thảo Minh Ayşe Şebnem Çağla Oğuz Zuzana Radek Miloš Dragoş Ștefan"
).split()

LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
    "Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart "
    "Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed "
    "Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray "
    "Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez "
    "Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Fisher "
    "Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin "
    "Wallace West Cole Hayes Bryant Gibson Ellis Stevens Murray Ford Marshall Owens "
    "McDonald Harrison Ruiz Kennedy Wells Alvarez Woods Mendoza Castro Olson Webb Washington "
    "O'Brien O'Connor O'Neill D'Angelo D'Souza Smith-Jones Garcia-Lopez Van-Dyke McAllister "
    "Müller Schröder Weiß Köhler Strauß Jäger Lefèvre Bélanger Gagné Côté Dubé Pérez Ibáñez "
    "Muñoz Peña Núñez Sánchez Hernández Løvås Ødegård Åberg Nowak Wójcik Kowalczyk Dvořák "
    "Novotný Horváth Szabó Kovács Yılmaz Öztürk Şahin Çelik Nakamura Tanaka Yamamoto Suzuki "
    "Okafor Mensah Abubakar Haddad Khalil Rahman Singh Sharma Gupta Iyer Chen Wang Liu Zhang "
    "Ivanova Petrov Smirnov Kuznetsova Lindqvist Johansson Eriksson Virtanen Mäkinen Ó Briain"
).split(" ")

EMAIL_DOMAINS = (
    "example.com", "example.net", "example.org", "mail.example.com", "post.example.de",
    "example.co.uk", "inbox.example.fr", "example.es",
)
# Seven random digits fill the #s of each pattern, in order.
PHONE_FORMATS = (
    "+1 ### 555 ####",
    "(###) 555-####",
    "+44 20 7### ####",
    "+49 30 #### ###",
    "+33 1 ## ## ## #0",
    "0### ### #00",
)
# Letters NFKD doesn't split into a base letter and an accent.
_ASCII = str.maketrans({"ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "đ": "d", "ı": "i", "œ": "oe"})


def shared_customer_hash() -> str:
    """The precomputed argon2id hash every synthetic customer with a password shares."""
    with (seed_data_dir() / "hashes.toml").open("rb") as fh:
        return str(tomllib.load(fh)["hashes"]["customer"])


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_ASCII))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in ".-")) or "user"


def _phone_templates() -> list[tuple[str, str]]:
    """(as shown, its digits) of each phone format, as %-templates of the seven digits."""
    return [
        ("%s".join(p.replace("%", "%%") for p in f.split("#")), "%s".join(_NON_DIGIT.sub("", p) for p in f.split("#")))
        for f in PHONE_FORMATS
    ]


COLUMNS = (
    "site_id", "username", "email", "first_name", "last_name", "phone",
    "username_ci", "email_ci", "first_name_ci", "last_name_ci", "phone_digits",
    "status", "status_reason", "password_hash", "must_change_password", "failed_login_count",
    "locked_at", "lock_kind", "lock_reason", "locked_by",
    "last_login_at", "password_changed_at", "created_at", "version",
)
Row = tuple[object, ...]


def _names(names: Sequence[str]) -> list[tuple[str, str, str]]:
    """(name, casefolded, ASCII slug) computed once per name, not per customer."""
    return [(n, n.casefold(), _ascii_slug(n)) for n in names]


TIME_POOL = 8_192  # distinct ages: formatting a datetime per row costs more than the insert


def _time_pool(rng: random.Random, now: datetime, text: bool) -> tuple[list[object], list[object], list[object]]:
    """(ages up to 5 years, oldest last; recent lockouts; staff lockouts) as stored values."""

    def stored(seconds: float) -> object:
        value = now - timedelta(seconds=seconds)
        return sqlite_datetime(value) if text else value

    five_years = 5 * 365 * 86400.0
    ages = sorted(rng.random() * five_years + 86400.0 for _ in range(TIME_POOL))
    recent = [stored(60 * (1 + 600 * rng.random())) for _ in range(256)]
    staff = [stored(86400 * (1 + 30 * rng.random())) for _ in range(256)]
    return [stored(a) for a in ages], recent, staff


def _batches(
    rng: random.Random,
    site_ids: Sequence[int],
    start_seq: int,
    n: int,
    now: datetime,
    password_hash: str,
    *,
    size: int = BATCH,
    text_times: bool = False,
) -> Iterator[list[Row]]:
    """n customer rows in COLUMNS order, in lists of size; the sequence number keeps
    usernames unique.

    A row costs a few microseconds of Python: every random pick is an index from
    rng.random() (choice() and randrange() cost several times more), and the
    names, slugs, phone patterns and datetimes are prepared once. With text_times
    the datetimes come as SQLite stores them (bulk_insert_customers' `prepared`).
    """
    firsts, lasts = _names(FIRST_NAMES), _names(LAST_NAMES)
    n_firsts, n_lasts, n_domains = len(firsts), len(lasts), len(EMAIL_DOMAINS)
    phones = _phone_templates()
    n_phones = len(phones)
    sites = list(site_ids)
    n_sites = len(sites)
    times, recent, staff = _time_pool(rng, now, text_times)
    n_recent, n_staff = len(recent), len(staff)
    rand = rng.random
    batch: list[Row] = []
    for i in range(n):
        first, first_ci, first_slug = firsts[int(rand() * n_firsts)]
        last, last_ci, last_slug = lasts[int(rand() * n_lasts)]
        seq = start_seq + i
        base = f"{first_slug}.{last_slug}" if rand() < 0.7 else f"{first_slug[0]}{last_slug}"
        username = f"{base}{seq}"
        email = None if rand() < 0.08 else f"{base}{seq % 9973}@{EMAIL_DOMAINS[int(rand() * n_domains)]}"
        if rand() < 0.15:
            phone, phone_digits = None, ""
        else:
            shown, plain = phones[int(rand() * n_phones)]
            digits = tuple(f"{int(rand() * 10_000_000):07d}")
            phone, phone_digits = shown % digits, plain % digits
        age = int(rand() * TIME_POOL)
        created = times[age]
        last_login = None if rand() < 0.1 else times[int(age * rand())]  # younger than created
        roll = rand()
        status, reason = "active", None
        locked_at = lock_kind = lock_reason = locked_by = None
        failed = 0
        if roll < 0.01:
            status, reason = "disabled", "Closed at the customer's request"
        elif roll < 0.02:
            locked_at = recent[int(rand() * n_recent)]
            lock_kind, lock_reason, failed = "failed_logins", "Too many failed logins", 5
        elif roll < 0.022:
            locked_at, lock_kind = staff[int(rand() * n_staff)], "staff"
            lock_reason, locked_by = "Suspected fraud: under review", "sam.supervisor"
        has_password = rand() > 0.02
        batch.append(
            (
                sites[i % n_sites], username, email, first, last, phone,
                username, (email or ""), first_ci, last_ci, phone_digits,
                status, reason, password_hash if has_password else None, has_password and rand() < 0.03, failed,
                locked_at, lock_kind, lock_reason, locked_by,
                last_login, created if has_password else None, created, 1,
            )
        )
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def generate_customers(
    engine: Engine,
    site_ids: Sequence[int],
    n: int,
    *,
    seed: int = 1,
    now: datetime | None = None,
    progress: ProgressFn | None = None,
    batch_size: int = BATCH,
) -> int:
    """Add n synthetic customers spread evenly over site_ids; returns how many.

    One transaction per batch; `progress(k)` is called after each committed batch
    with its size. Deterministic for a given seed and database state. From
    BULK_MIN customers on, SQLite builds its search indexes once at the end
    (store bulk_load): a million customers in well under a minute.
    """
    if n <= 0:
        return 0
    if not site_ids:
        raise ValueError("synthetic customers need at least one site")
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    password_hash = shared_customer_hash()
    with engine.connect() as conn:
        start_seq = (conn.scalar(sa.select(sa.func.max(Customer.id))) or 0) + 1
        kinds = dict(
            conn.execute(sa.select(Scope.id, Scope.kind).where(Scope.id.in_(list(site_ids)))).all()
        )
    not_sites = [i for i in site_ids if kinds.get(i) != "site"]
    if not_sites:
        raise ValueError(f"not sites: {not_sites}")
    sqlite = engine.dialect.name == "sqlite"
    batches = _batches(rng, site_ids, start_seq, n, now, password_hash, size=batch_size, text_times=sqlite)
    with bulk_load(engine) if sqlite and n >= BULK_MIN else nullcontext():
        return _write_behind(engine, batches, sqlite, progress)


def _write_behind(
    engine: Engine, batches: Iterator[list[Row]], prepared: bool, progress: ProgressFn | None
) -> int:
    """Insert batches on a second thread while this one makes the next batch.

    Making rows is Python (holds the GIL); indexing them is SQLite's C code (releases
    it): on two cores the two overlap. Handing rows to SQLite takes the GIL for every
    row, so it and making rows take turns (`python_work`): run side by side, each
    would wait for the other's GIL switch interval again and again. Progress is
    reported from this thread, after each batch is committed.
    """
    python_work = threading.Lock()
    todo: queue.Queue[list[Row] | None] = queue.Queue(maxsize=2)
    committed: queue.Queue[int] = queue.Queue()
    failure: list[BaseException] = []

    def writer() -> None:
        while (batch := todo.get()) is not None:
            if failure:
                continue  # drain: the maker must not block on a full queue
            try:
                with engine.begin() as conn:
                    bulk_insert_customers(conn, COLUMNS, batch, prepared=prepared, insert_lock=python_work)
            except BaseException as exc:  # noqa: BLE001 - re-raised on the caller's thread
                failure.append(exc)
                continue
            committed.put(len(batch))

    def report() -> int:
        n = 0
        while True:
            try:
                k = committed.get_nowait()
            except queue.Empty:
                return n
            n += k
            if progress is not None:
                progress(k)

    thread = threading.Thread(target=writer, name="synthetic-writer", daemon=True)
    thread.start()
    done = 0
    try:
        while not failure:
            with python_work:
                batch = next(batches, None)
            if batch is None:
                break
            todo.put(batch)
            done += report()
    finally:
        todo.put(None)
        thread.join()
    if failure:
        raise failure[0]
    done += report()
    return done


def demo_site_ids(engine: Engine) -> list[int]:
    """Every site of the database, for `tuiconsole demo --customers N`."""
    with engine.connect() as conn:
        return list(conn.scalars(sa.select(Scope.id).where(Scope.kind == "site").order_by(Scope.id)))
