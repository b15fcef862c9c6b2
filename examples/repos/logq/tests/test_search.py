import gzip
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from logq.cli import main


def run(argv, stdin=None):
    out = io.StringIO()
    code = main(argv, stdin=stdin, stdout=out)
    return code, out.getvalue().splitlines()


@pytest.mark.requirement("R1")
def test_searches_every_file_in_a_directory(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for n in range(3):
        (logs / f"app{n}.log").write_text(f"ok\nrequest timeout {n}\n")
    code, lines = run(["timeout", str(logs)])
    assert code == 0
    assert len(lines) == 3
    assert all(":2: request timeout" in line for line in lines)


def test_r1_reads_standard_input_without_paths():
    code, lines = run(["boom"], stdin=io.StringIO("fine\nboom here\n"))
    assert (code, lines) == (0, ["-:2: boom here"])


@pytest.mark.requirement("R2")
def test_pattern_is_a_regular_expression(tmp_path):
    path = tmp_path / "a.log"
    path.write_text("the job timed out\nall good\n")
    assert run(["time(out|d out)", str(path)])[1] == [f"{path}:1: the job timed out"]


# R2: case-sensitive unless -i
def test_case_sensitivity(tmp_path):
    path = tmp_path / "a.log"
    path.write_text("ERROR disk\n")
    assert run(["error", str(path)])[0] == 1
    assert run(["-i", "error", str(path)])[0] == 0


@pytest.mark.requirement("R3")
def test_since_drops_old_lines_and_lines_without_timestamp(tmp_path):
    now = datetime.now(UTC)
    old = (now - timedelta(hours=3)).isoformat()
    new = (now - timedelta(minutes=5)).isoformat()
    path = tmp_path / "a.log"
    path.write_text(
        json.dumps({"ts": old, "msg": "x"})
        + "\n"
        + json.dumps({"time": new, "msg": "x"})
        + "\n"
        + "no timestamp x\n"
        + f"{new} plain x\n"
    )
    code, lines = run(["--since", "2h", "x", str(path)])
    assert [line.split(":")[1] for line in lines] == ["2", "4"]


@pytest.mark.requirement("R4")
def test_level_filter_maps_aliases(tmp_path):
    path = tmp_path / "a.log"
    rows = [{"level": "info"}, {"level": "warning"}, {"level": "error"}, {"level": "fatal"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    code, lines = run(["--level", "warn", "", str(path)])
    assert [json.loads(line.split(": ", 1)[1])["level"] for line in lines] == [
        "warning",
        "error",
        "fatal",
    ]


@pytest.mark.requirement("R5")
def test_fields_combine_with_and_and_nested_keys(tmp_path):
    path = tmp_path / "a.log"
    rows = [
        {"service": "payments", "http": {"status": 503}},
        {"service": "payments", "http": {"status": 200}},
        {"service": "search", "http": {"status": 503}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    code, lines = run(["--field", "service=payments", "--field", "http.status=503", "", str(path)])
    assert len(lines) == 1 and ":1:" in lines[0]


@pytest.mark.requirement("R6")
def test_json_output_has_file_line_text(tmp_path):
    path = tmp_path / "a.log"
    path.write_text("alpha\nbeta\n")
    code, lines = run(["--output", "json", "a", str(path)])
    assert [json.loads(line) for line in lines] == [
        {"file": str(path), "line": 1, "text": "alpha"},
        {"file": str(path), "line": 2, "text": "beta"},
    ]


@pytest.mark.requirement("R8")
def test_gzip_files_are_read_transparently(tmp_path):
    path = tmp_path / "access.log.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("GET / 503\nGET / 200\n")
    assert run(["503", str(path)])[1] == [f"{path}:1: GET / 503"]


def test_exit_code_is_one_when_nothing_matches(tmp_path):
    path = tmp_path / "a.log"
    path.write_text("nothing\n")
    assert run(["absent", str(path)])[0] == 1
