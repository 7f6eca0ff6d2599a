"""The one guarded writer: nothing lost, nothing written or deleted outside the data folder or through a
link, one command at a time per office, and a backup that the rotation never removes."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from helpers.data.scaffold import new_year
from helpers.data.writer import BACKUPS, KEEP_BACKUPS, DataWriter
from helpers.errors import InputError


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "office" / "2024"
    folder.mkdir(parents=True)
    (folder / "values.csv").write_text("mine\n", encoding="utf-8")
    return folder


def test_only_the_newest_five_backups_are_kept_and_their_names_sort_by_time(office: Path):
    writer = DataWriter(office.parents[1])
    for i in range(KEEP_BACKUPS + 3):
        writer.write(office / "values.csv", f"{i}\n", force=True)
    kept = sorted((office / BACKUPS).iterdir())
    assert len(kept) == KEEP_BACKUPS
    assert [p.read_text(encoding="utf-8") for p in kept] == [f"{i}\n" for i in range(2, KEEP_BACKUPS + 2)]
    assert sorted(p.name for p in office.iterdir()) == [BACKUPS, "values.csv"]


def test_the_backup_just_made_survives_files_of_the_owner_in_the_backup_folder(office: Path):
    backups = office / BACKUPS
    backups.mkdir()
    for i in range(1, 6):  # the owner's own copies, named like backups but not by this writer
        (backups / f"values.csv.mine{i}").write_text(f"owner {i}\n", encoding="utf-8")
    writer = DataWriter(office.parents[1])
    writer.write(office / "values.csv", "new\n", force=True)
    made = writer.log.backups[0]
    assert made.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in backups.iterdir()) == sorted([made.name, *(f"values.csv.mine{i}" for i in range(1, 6))])


def test_two_backups_in_the_same_instant_are_both_kept(office: Path, monkeypatch: pytest.MonkeyPatch):
    import helpers.data.writer as module

    class Frozen:
        @staticmethod
        def now():
            from datetime import datetime

            return datetime(2025, 1, 2, 3, 4, 5, 6)

    monkeypatch.setattr(module, "datetime", Frozen)
    writer = DataWriter(office.parents[1])
    first, second = writer.back_up(office / "values.csv"), writer.back_up(office / "values.csv")
    assert first != second and first.exists() and second.exists()


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("a.csv", "values.csv.20200101-000000-000000", "values.csv.20200101-000000-000001"):
        (outside / name).write_text("outside\n", encoding="utf-8")
    return outside


@pytest.mark.parametrize("link", ["backup-folder", "file", "year-folder", "office-folder"])
def test_nothing_is_written_or_deleted_through_a_link(office: Path, tmp_path: Path, link: str):
    outside = _outside(tmp_path)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    data = office.parents[1]
    if link == "backup-folder":
        (office / BACKUPS).symlink_to(outside)
    elif link == "file":
        (office / "values.csv").unlink()
        (office / "values.csv").symlink_to(outside / "a.csv")
    elif link == "year-folder":
        (data / "office" / "2025").symlink_to(outside)
    else:
        (data / "other").symlink_to(outside)
    target = {"year-folder": data / "office" / "2025" / "values.csv", "office-folder": data / "other" / "2024" / "values.csv"}
    writer = DataWriter(data)
    with pytest.raises(InputError) as refused:
        writer.write(target.get(link, office / "values.csv"), "new\n", force=True)
    assert "符号链接" in str(refused.value)
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
    assert not writer.log.written and not writer.log.backups


def test_a_path_outside_the_data_folder_is_refused(office: Path, tmp_path: Path):
    writer = DataWriter(office.parents[1])
    for path in (tmp_path / "elsewhere.csv", office.parents[1] / ".." / "escape.csv"):
        with pytest.raises(InputError, match="不在数据目录内"):
            writer.write(path, "x\n")
    assert not (tmp_path / "elsewhere.csv").exists() and not (tmp_path / "escape.csv").exists()


def test_one_bad_target_writes_none_of_the_others(office: Path, tmp_path: Path):
    outside = _outside(tmp_path)
    (office / "narrative").symlink_to(outside)
    writer = DataWriter(office.parents[1])
    with pytest.raises(InputError):
        writer.write_all({office / "report.yml": "status: draft\n", office / "narrative" / "s1.md": "x\n"}, force=True)
    assert not (office / "report.yml").exists()


def test_an_existing_file_is_kept_without_force(office: Path):
    writer = DataWriter(office.parents[1])
    assert writer.write(office / "values.csv", "other\n") is False
    assert (office / "values.csv").read_text(encoding="utf-8") == "mine\n" and writer.log.kept


def _hold(data: str, ready, release) -> None:
    with DataWriter(Path(data)).locked("office"):
        ready.set()
        release.wait(10)


def test_a_second_writer_of_the_same_office_waits_for_the_first(office: Path):
    data = office.parents[1]
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold, args=(str(data), ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        with pytest.raises(InputError, match="正在写入"), DataWriter(data).locked("office", wait=0.3):
            pass
        with DataWriter(data).locked("another", wait=0.3):  # another office is not held up
            pass
        threading.Timer(0.5, release.set).start()
        with DataWriter(data).locked("office", wait=20):  # taken once the first lets go
            assert release.is_set()
    finally:
        release.set()
        holder.join(30)
    assert holder.exitcode == 0


def test_new_year_over_a_gb18030_file_backs_it_up_as_it_was(data_copy: Path):
    new_year(data_copy, "taoyuan", 2025)
    values = data_copy / "taoyuan" / "2025" / "values.csv"
    original = "indicator,value,qualifier,period_end,source,note\nmediation.cases,3,,,桃源,\n".encode("gb18030")
    values.write_bytes(original)
    log = new_year(data_copy, "taoyuan", 2025, force=True)
    assert [p.read_bytes() for p in log.backups if p.name.startswith("values.csv")] == [original]
