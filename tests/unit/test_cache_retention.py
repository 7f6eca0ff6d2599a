"""The caches keep what is used and let the rest go: long-unused entries, a size beyond the limit and a killed
writer's scratch are removed after a command that succeeded; what was just used never is."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from helpers import cli
from helpers.data import kept
from helpers.model import chartstore
from helpers.publish import retention
from helpers.publish.cache import Cache
from helpers.serve.pages import CHART
from helpers.serve.request import SITE
from helpers.serve.site import PAGE

DAY = 86400


def aged(path: Path, days: float) -> Path:
    """Set ``path`` as last used ``days`` ago."""
    when = time.time() - days * DAY
    os.utime(path, (when, when))
    return path


def entry(cache: Cache, kind: str, name: str, size: int = 10, days: float = 0) -> Path:
    folder = cache.put(kind, name * 64, lambda f: (f / "out.ipynb").write_bytes(b"x" * size))
    return aged(folder, days)


def test_entries_unused_for_the_retention_period_go_and_used_ones_stay(tmp_path: Path):
    cache = Cache(tmp_path / "cache")
    old = entry(cache, "notebooks", "a", days=retention.UNUSED_DAYS + 1)
    recent = entry(cache, "render", "b", days=retention.UNUSED_DAYS - 1)
    reused = entry(cache, "notebooks", "c", days=retention.UNUSED_DAYS + 5)
    assert cache.get("notebooks", "c" * 64) == reused  # a hit marks it used
    pruned = retention.prune(cache.root)
    assert not old.exists() and recent.is_dir() and reused.is_dir()
    assert pruned.items == 1 and pruned.freed > 10
    assert cache.get("render", "b" * 64) == recent  # what stays is whole


def test_beyond_the_limit_the_longest_unused_go_first_but_never_what_was_just_used(tmp_path: Path):
    cache = Cache(tmp_path / "cache")
    folders = {days: entry(cache, "render", name, size=1000, days=days) for name, days in zip("abcd", (9, 5, 2, 0), strict=True)}
    retention.prune(cache.root, limit=2500)  # four of about 1 kB: the two used longest ago go
    assert [days for days, folder in folders.items() if folder.exists()] == [2, 0]
    retention.prune(cache.root, limit=0)
    assert [days for days, folder in folders.items() if folder.exists()] == [0]  # used within the grace period


def test_scratch_left_by_a_killed_writer_goes_once_it_is_old(tmp_path: Path):
    root = tmp_path / "cache"
    stale = aged(_made(root / "notebooks" / ".new-abc" / "half.ipynb").parent, 1)
    writing = _made(root / "render" / ".new-def" / "report.pdf").parent
    stale_file = aged(_made(root / kept.FOLDER / ".new-xyz"), 1)
    digests = aged(_made(root / kept.FOLDER / "digests.json"), retention.UNUSED_DAYS + 1)
    retention.prune(root)
    assert not stale.exists() and not stale_file.exists()
    assert writing.is_dir()  # another command may be writing it now
    assert digests.is_file()  # bounded by itself (helpers.data.digests), never pruned


def test_kept_datasets_and_charts_stay_while_used(tmp_path: Path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv(kept.KEPT, str(root / kept.FOLDER))
    monkeypatch.setattr(kept, "_CHOSEN_BY", {os.getpid()})  # this process is the command
    root.mkdir()
    kept.keep(("used",), "a value")
    kept.keep(("unused",), "another value")
    for path in (root / kept.FOLDER).glob("*.pickle"):
        aged(path, retention.UNUSED_DAYS + 1)
    assert kept.taken(("used",)) == "a value"  # taken by the command: used

    charts = root / chartstore.FOLDER
    monkeypatch.setenv(chartstore.STORE, str(charts / "current"))
    shown, unshown = "1" * 64, "2" * 64
    notebook = {"cells": [{"outputs": [{"data": {chartstore.SVG: "<svg/>"}, "metadata": {chartstore.SVG: {"chart": k}}} for k in (shown, unshown)]}]}
    assert chartstore.keep_charts(notebook) == 2
    for path in (charts / "current").iterdir():
        aged(path, retention.UNUSED_DAYS + 1)
    old_code = aged(_made(charts / "other-code" / f"{'3' * 64}.svg"), retention.UNUSED_DAYS + 1)
    chartstore.keep_charts({"cells": [{"outputs": notebook["cells"][0]["outputs"][:1]}]})  # shown again, from the store

    retention.prune(root)
    assert kept.taken(("used",)) == "a value" and kept.taken(("unused",)) is None
    assert sorted(p.stem for p in (charts / "current").iterdir()) == [shown]
    assert not old_code.parent.exists()  # emptied: the folder of code no longer used goes too


def test_a_command_that_succeeds_prunes_and_one_that_fails_does_not(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    cache = Cache(Path("_build") / "cache")
    old = entry(cache, "notebooks", "a", days=retention.UNUSED_DAYS + 1)
    monkeypatch.setattr(cli, "run_build", lambda args: 1)
    assert cli.main(["build", "--all"]) == 1 and old.is_dir()
    monkeypatch.setattr(cli, "run_status", lambda args: 0)
    assert cli.main(["status", "--year", "2024"]) == 0 and old.is_dir()  # a command that keeps no cache
    monkeypatch.setattr(cli, "run_build", lambda args: 0)
    assert cli.main(["build", "--all"]) == 0 and not old.exists()
    assert "缓存：移除了 1 项" in capsys.readouterr().err


def test_commands_prune_at_most_once_an_hour(tmp_path: Path):
    cache = Cache(tmp_path / "cache")
    first = entry(cache, "notebooks", "a", days=retention.UNUSED_DAYS + 1)
    assert retention.tidy(cache.root).items == 1 and not first.exists()
    second = entry(cache, "notebooks", "b", days=retention.UNUSED_DAYS + 1)
    assert retention.tidy(cache.root).items == 0 and second.is_dir()  # a command within the hour only looks at the marker
    assert retention.tidy(cache.root, now=time.time() + retention.EVERY_SECONDS).items == 1 and not second.exists()
    assert retention.tidy(tmp_path / "no-cache") == retention.Pruned() and not (tmp_path / "no-cache").exists()


@pytest.mark.parametrize("kind", ["notebooks", "render", PAGE, CHART, SITE])
def test_every_kind_of_entry_is_pruned_whole(tmp_path: Path, kind: str):
    cache = Cache(tmp_path / "cache")
    old = entry(cache, kind, "e")
    _made(old / "sub" / "image.svg")
    aged(old, retention.UNUSED_DAYS + 1)
    retention.prune(cache.root)
    assert not old.exists() and list((cache.root / kind).iterdir()) == []


def _made(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_a_link_in_the_caches_is_removed_never_followed(tmp_path: Path):
    outside = tmp_path / "outside"
    keep = [aged(_made(outside / "env" / f"{'4' * 64}.svg"), retention.UNUSED_DAYS + 1), aged(_made(outside / "entry" / "x"), 99)]
    root = tmp_path / "cache"
    (root / chartstore.FOLDER).mkdir(parents=True)
    (root / chartstore.FOLDER / "linked-env").symlink_to(outside / "env")
    (root / "notebooks").mkdir()
    link = root / "notebooks" / ("5" * 32)
    link.symlink_to(outside / "entry")
    os.utime(link, (time.time() - 99 * DAY,) * 2, follow_symlinks=False)
    retention.prune(root)
    assert all(path.is_file() for path in keep) and not link.is_symlink()


def test_pruning_never_fails_a_command_that_succeeded(tmp_path: Path, monkeypatch):
    def broken(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.chdir(tmp_path)
    entry(Cache(Path("_build") / "cache"), "notebooks", "a", days=retention.UNUSED_DAYS + 1)
    monkeypatch.setattr(retention, "prune", broken)
    monkeypatch.setattr(cli, "run_build", lambda args: 0)
    assert cli.main(["build", "--all"]) == 0


def test_only_what_the_caches_name_so_is_ever_removed(tmp_path: Path):
    root = tmp_path / "cache"
    strangers = [_made(root / "notebooks" / "2023" / "values.csv"), _made(root / "render" / "notes.md")]
    strangers += [_made(root / kept.FOLDER / "notes.pickle"), _made(root / chartstore.FOLDER / "env" / "logo.svg")]
    strangers.append(_made(root / kept.FOLDER / ("7" * 64)))  # a key's digits without the kept files' suffix
    for path in strangers:
        aged(path, retention.UNUSED_DAYS + 1)
    aged(strangers[0].parent, retention.UNUSED_DAYS + 1)
    ours = aged(_made(root / kept.FOLDER / f"{'6' * 64}.pickle"), retention.UNUSED_DAYS + 1)
    assert retention.prune(root, limit=0).items == 1 and not ours.exists()
    assert all(path.is_file() for path in strangers)
