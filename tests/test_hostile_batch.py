"""A folder of hostile bundles beside a real one: the real one's findings come out whole, every time."""
import json
import os
import shutil

from click.testing import CliRunner

from benchmarks.hostile import junk_zip, quoted_cell_services
from cli import main
from tests.bundles import FIX, copy_fixture, replace


def _corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copytree(FIX / "violating", root / "violating")
    junk_zip(root / "junk.zip", lines=20_000)
    stray = copy_fixture(root, "violating", "stray-quote")
    replace(stray / "services.csv", "LN-00100,", 'LN-00100,"')
    cell = copy_fixture(root, "compliant", "quoted-cell")
    (cell / "services.csv").write_bytes(quoted_cell_services(mb=0.05))
    case = copy_fixture(root, "compliant", "two-services-files")
    shutil.copy(case / "services.csv", case / "Services.csv")
    link = copy_fixture(root, "compliant", "linked-staff")
    (link / "staff.csv").unlink()
    (link / "staff.csv").symlink_to("/etc/passwd")
    big = copy_fixture(root, "compliant", "huge-invoice")
    replace(big / "invoice.yaml", "billed_hours: 455", "billed_hours: 10000000000000000000")
    sets = copy_fixture(root, "compliant", "set-parameters")
    replace(sets / "contract.yaml", "parameters: {}", "parameters: !!set {a, b}")
    shutil.copytree(FIX / "compliant", os.fsdecode(os.path.join(os.fsencode(root), b"name-\xff")))
    (root / "me").symlink_to(".", target_is_directory=True)
    (root / "violating" / "up").symlink_to("..", target_is_directory=True)
    return root


def test_hostile_bundles_never_cost_the_real_ones_findings(tmp_path):
    root = _corpus(tmp_path)
    r = CliRunner().invoke(main, ["check", str(root), "--jobs", "2", "--format", "json", "--lang", "en"])
    assert r.exit_code == 1, r.stderr
    doc = json.loads(r.stdout)
    names = [s["submission"] for s in doc["submissions"]]
    assert len(names) == len(set(names)) == 9
    [violating] = [s for s in doc["submissions"] if s["submission"] == "violating"]
    assert violating["summary"]["error"] == 31
    [stray] = [s for s in doc["submissions"] if s["submission"] == "stray-quote"]
    assert stray["summary"]["error"] == 33  # the 31, the stray quote and the date it spoils
    assert "name-\\xff" in names
