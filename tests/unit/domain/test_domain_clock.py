from datetime import UTC, datetime, timedelta, timezone

from tuiconsole.domain.clock import Clock, FixedClock, SystemClock, utcnow


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert abs(now - utcnow()) < timedelta(seconds=5)
    assert isinstance(SystemClock(), Clock)


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 1, 1, 12, 0, tzinfo=UTC))
    assert isinstance(clock, Clock)
    assert clock.now() == clock.now() == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert clock.advance(minutes=61) == datetime(2026, 1, 1, 13, 1, tzinfo=UTC)
    clock.set(datetime(2026, 1, 2, 3, 0, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2026, 1, 2, 1, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_fixed_clock_takes_naive_as_utc() -> None:
    assert FixedClock(datetime(2026, 1, 1)).now() == datetime(2026, 1, 1, tzinfo=UTC)
