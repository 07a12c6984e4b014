"""check-project with several files or a directory: every file reported in order, one summary, the
worst outcome as exit code (2 invalid, 1 error flags, 0 clean), the same output for any --jobs."""

from __future__ import annotations

import json
import os

import pytest
import yaml
from click.testing import CliRunner

from synergy_app.stateaid import batch_check
from synergy_app.stateaid.batch_check import FAILED, OK, check_files
from synergy_app.stateaid.cli import check_project_command


def _write(path, data):
    text = json.dumps(data) if path.suffix == ".json" else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path, example):
    """clean.yaml (no error flag), flagged.json (private co-financing short), invalid.yaml (unknown kind)."""
    flagged = json.loads(json.dumps(example))
    flagged["funding"][2]["amount_sek"] = 1_000_000
    invalid = json.loads(json.dumps(example))
    invalid["partners"][1]["kind"] = "university"
    return [_write(tmp_path / "clean.yaml", example), _write(tmp_path / "flagged.json", flagged),
            _write(tmp_path / "invalid.yaml", invalid)]


def _invoke(*args):
    return CliRunner().invoke(check_project_command, [str(a) for a in args])


def test_an_invalid_file_does_not_stop_the_others_and_exits_2(files):
    result = _invoke(*files, "--lang", "en")
    assert result.exit_code == 2
    # Each file under its own heading, in the order given; the invalid one's field named on both streams.
    headings = [line for line in result.stdout.splitlines() if line.startswith("==> ")]
    assert headings == [f"==> {f} <==" for f in files]
    assert result.stdout.count("State-aid check: Systemdemonstrator") == 2
    assert "Invalid file: partners[1].kind: unknown value 'university'" in result.stdout
    assert result.stderr.strip() == f"{files[2]}: partners[1].kind: unknown value 'university'; allowed: " \
                                    "undertaking, research_organisation, public_body, intermediary"


def test_error_flags_without_invalid_files_exit_1(files):
    assert _invoke(files[0], files[1]).exit_code == 1
    assert _invoke(files[0], files[0]).exit_code == 0


def test_summary_in_swedish_and_english_with_plural_forms(files, tmp_path):
    sv = _invoke(*files).stdout.splitlines()[-1]
    en = _invoke(*files, "--lang", "en").stdout.splitlines()[-1]
    assert sv == "Sammanfattning: 3 filer kontrollerade, 1 fil med felflaggor, 1 ogiltig fil."
    assert en == "Summary: 3 files checked, 1 file with error flags, 1 invalid file."
    # A directory of one file is still reported as a batch (its name heads the report).
    folder = tmp_path / "one"
    folder.mkdir()
    _write(folder / "p.yaml", yaml.safe_load((tmp_path / "clean.yaml").read_text(encoding="utf-8")))
    one = _invoke(folder, "--lang", "en").stdout
    assert one.startswith(f"==> {folder / 'p.yaml'} <==\n")
    assert one.splitlines()[-1] == "Summary: 1 file checked, 0 files with error flags, 0 invalid files."
    assert _invoke(folder).stdout.splitlines()[-1] == \
        "Sammanfattning: 1 fil kontrollerad, 0 filer med felflaggor, 0 ogiltiga filer."


def test_a_directory_means_its_project_files_by_name_not_its_subfolders(tmp_path, example):
    folder = tmp_path / "inkommet"
    (folder / "arkiv").mkdir(parents=True)
    for name in ("b.yaml", "a.json", "c.YML", "arkiv/d.yaml"):
        _write(folder / name, example)
    (folder / "notes.txt").write_text("inte ett projekt", encoding="utf-8")
    result = _invoke(folder)
    assert result.exit_code == 0, result.stdout
    headings = [line for line in result.stdout.splitlines() if line.startswith("==> ")]
    assert headings == [f"==> {folder / n} <==" for n in ("a.json", "b.yaml", "c.YML")]


def test_an_empty_directory_is_a_usage_error(tmp_path):
    result = _invoke(tmp_path)
    assert result.exit_code == 2
    assert "no project files" in result.stderr


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_one_process_and_two_give_the_same_output(files, output_format):
    many = files * 4  # more files than processes, so work is split between them
    one = _invoke(*many, "--jobs", "1", "--format", output_format)
    two = _invoke(*many, "--jobs", "2", "--format", output_format)
    assert (one.exit_code, one.stdout, one.stderr) == (two.exit_code, two.stdout, two.stderr)
    assert one.exit_code == 2


def test_json_is_one_list_naming_each_file_with_its_result_or_what_is_invalid(files):
    result = _invoke(*files, "--format", "json", "--lang", "en")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [item["file"] for item in data] == files
    assert [sorted(item) for item in data] == [["file", "result"], ["file", "result"], ["file", "invalid"]]
    # Each result is exactly the one-file JSON result of that file.
    alone = json.loads(_invoke(files[1], "--format", "json").stdout)
    assert data[1]["result"] == alone
    assert "PRIVATE_COFINANCING_SHORT" in [f["code"] for f in data[1]["result"]["flags"]]
    assert data[2]["invalid"]["field"] == "partners[1].kind"
    assert data[2]["invalid"]["message"].startswith("unknown value 'university'")
    # Laid out as json.dumps lays out the whole list, though the parts were written in the workers.
    assert result.stdout == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_a_worker_that_dies_on_a_file_fails_that_file_only(files, monkeypatch):
    real = batch_check._check_one

    def dies_on_flagged(path, lang, output_format):
        if path.endswith("flagged.json"):
            os._exit(1)  # as a process killed by the system would
        return real(path, lang, output_format)

    # Forked workers see the replacement; the run must finish rather than wait for the dead process.
    monkeypatch.setattr(batch_check, "_check_one", dies_on_flagged)
    outcomes = check_files([files[0], files[1], files[0], files[0]], jobs=2)
    assert [o.status for o in outcomes] == [OK, FAILED, OK, OK]
    assert "ended unexpectedly" in outcomes[1].message
    assert outcomes[0].report == outcomes[2].report != ""


def test_unreadable_reference_data_fails_every_file_with_exit_2(files, monkeypatch):
    from synergy_app.reference.loader import ReferenceDataError
    from synergy_app.stateaid import check

    def broken():
        raise ReferenceDataError("programmes.yaml: programmes[0].cofinancing_rate: not a number: 'x'")

    monkeypatch.setattr(check, "shipped_programme_rates", broken)
    result = _invoke(files[0], files[1], "--jobs", "2")
    assert result.exit_code == 2
    assert result.stderr.count("reference data: programmes.yaml") == 2
    assert result.stdout.splitlines()[-1].endswith("2 filer kunde inte kontrolleras.")
