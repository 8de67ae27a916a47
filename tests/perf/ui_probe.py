"""A fresh process running the console, for the start-up and memory rows.

    python ui_probe.py start  DATABASE_URL SPAWNED_AT   → seconds from spawn to usable
    python ui_probe.py memory DATABASE_URL SITE         → resident MiB after 200 searches and scrolls

Start-up: from the parent's clock reading just before it spawned this process to
the main screen showing its first page (the console is usable: the list answers
keys). Memory: VmRSS of this process after the console served 100 searches and 100
scrolls on the site's list.
"""

from __future__ import annotations

import asyncio
import sys
import time

SPAWN_CLOCK = time.time  # wall clock: comparable across processes


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


QUERIES = ["s", "sm", "smi", "smith", "j", "jo", "jo s", "ma", "garcia", "exam", "+1", "an", "", "ki", "nguy"]
MOVES = ["pagedown", "pagedown", "end", "pageup", "home", "middle", "down", "pagedown", "end", "home"]


async def _run(mode: str, url: str, arg: str) -> None:
    from uibench import SIZE, console, main_on_site, main_shown, move_ms, set_filter

    services, app = console(url)
    try:
        async with app.run_test(size=SIZE) as pilot:
            if mode == "start":
                await main_shown(pilot)
                print(f"{SPAWN_CLOCK() - float(arg):.4f}")
                return
            screen = await main_on_site(pilot, arg)
            for i in range(100):
                await set_filter(pilot, screen, QUERIES[i % len(QUERIES)])
                await move_ms(pilot, screen, MOVES[i % len(MOVES)])
            print(f"{_rss_mib():.1f}")
    finally:
        services.close()


if __name__ == "__main__":
    asyncio.run(_run(sys.argv[1], sys.argv[2], sys.argv[3]))
