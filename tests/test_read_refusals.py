"""Tests of the submission bundle reader (engine/read/bundle.py): bundles it refuses, unsafe YAML, limits."""
from __future__ import annotations

import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.read.bundle import BundleError, read_bundle, validate_references
from tests.test_read import CONTRACT, FILES, SERVICES, errors, only, write_bundle


# --- bundle errors -------------------------------------------------------------

def test_missing_path(tmp_path):
    with pytest.raises(BundleError) as e:
        read_bundle(tmp_path / "nope")
    assert "nicht gefunden" in str(e.value) and "not found" in e.value.en


def test_plain_file(tmp_path):
    path = tmp_path / "bundle.txt"
    path.write_text("hello")
    with pytest.raises(BundleError) as e:
        read_bundle(path)
    assert ".zip" in str(e.value) and ".xlsx" in e.value.en


def test_broken_zip_and_xlsx(tmp_path):
    for name in ("bundle.zip", "bundle.xlsx"):
        (tmp_path / name).write_bytes(b"PK\x03\x04 not really")
        with pytest.raises(BundleError):
            read_bundle(tmp_path / name)


def test_no_contract(tmp_path):
    with pytest.raises(BundleError) as e:
        read_bundle(write_bundle(tmp_path / "b", contract_yaml=None))
    assert str(e.value) == 'contract.yaml fehlt in "b"'
    assert e.value.en == 'contract.yaml missing in "b"'


def test_yaml_alias_bomb(tmp_path):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for level in "bcdefghi":
        bomb += f"{level}: &{level} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = level
    with pytest.raises(BundleError) as e:
        read_bundle(write_bundle(tmp_path / "b", contract_yaml=bomb))
    assert "YAML" in str(e.value)
    many = "x: &x 1\n" + "".join(f"k{i}: *x\n" for i in range(1000))
    with pytest.raises(BundleError) as e:
        read_bundle(write_bundle(tmp_path / "c", contract_yaml=many))
    assert "Aliase" in str(e.value) and "aliases" in e.value.en


def test_recursive_yaml_alias(tmp_path):
    with pytest.raises(BundleError):
        read_bundle(write_bundle(tmp_path / "b", contract_yaml="a: &a [*a]\n"))


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object:os.system"])
def test_python_object_tag_is_refused(tmp_path, tag):
    marker = tmp_path / "executed"
    evil = CONTRACT + f'evil: {tag} ["touch {marker}"]\n'
    with pytest.raises(BundleError) as e:
        read_bundle(write_bundle(tmp_path / "b", contract_yaml=evil))
    assert not marker.exists()
    assert tag in str(e.value) and "line 27" in e.value.en and "not allowed" in e.value.en


@pytest.mark.parametrize("text", ["a: " + "[" * 100_000 + "]" * 100_000, "- " * 100_000 + "1\n"])
def test_deeply_nested_yaml_is_refused_fast(tmp_path, text):
    with pytest.raises(BundleError) as e:
        read_bundle(write_bundle(tmp_path / "b", contract_yaml=text))
    assert "nested too deeply" in e.value.en


def test_contract_not_yaml_or_not_mapping(tmp_path):
    with pytest.raises(BundleError) as e:
        read_bundle(write_bundle(tmp_path / "b", contract_yaml="a: [1, 2\nb: 3\n"))
    assert "YAML" in str(e.value)
    with pytest.raises(BundleError) as e:
        read_bundle(write_bundle(tmp_path / "c", contract_yaml="- 1\n- 2\n"))
    assert "mapping" in e.value.en


def test_contract_missing_required_keys(tmp_path):
    contract = CONTRACT.replace('contract_id: "955-0042-21"\n', "").replace("  start: 2021-09-01\n", "  start: 31.02.2021\n")
    with pytest.raises(BundleError) as e:
        read_bundle(write_bundle(tmp_path / "b", contract_yaml=contract))
    assert "contract_id" in str(e.value) and "accompanying_phase.start" in e.value.en
    assert "\n" not in str(e.value)


# --- limits --------------------------------------------------------------------

def test_zip_bomb_refused(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in FILES.items():
            zf.writestr(name, content)
        zf.writestr("padding.csv", b"0" * 50_000_000)
    with pytest.raises(BundleError) as e:
        read_bundle(path)
    assert "compressed" in e.value.en


def test_member_too_large(tmp_path):
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, content in FILES.items():
            zf.writestr(name, content)
    sub = read_bundle(path, max_file_bytes=200)
    assert {p.file for p in errors(sub)} >= {"staff.csv", "services.csv"}
    assert sub.services == []


def test_row_and_cell_limits(tmp_path):
    services = SERVICES.replace("presence", "p" * 50)
    # rows are counted over the whole submission: 9 before services.csv, then two services
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services), max_rows=11, max_cell_chars=20)
    p = only(errors(sub), file="services.csv", column="mode")
    assert "50" in p.en and "ppp" not in p.en
    only(errors(sub), file="services.csv", line=4, column="")
    assert [s.service_id for s in sub.services] == ["S0001", "S0002"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_never_raises_on_garbage_csv(tmp_path, data):
    sub = read_bundle(write_bundle(tmp_path / "g", services_csv=SERVICES.encode() + data))
    assert len(sub.staff) == 3


def test_validate_references_standalone(tmp_path):
    sub = read_bundle(write_bundle(tmp_path / "b"))
    sub.staff.pop(0)
    found = validate_references(sub)
    assert {(p.file, p.line, p.column) for p in found} == {("services.csv", 2, "staff_id"),
                                                           ("reference_persons.csv", 2, "staff_id"),
                                                           ("reference_persons.csv", 3, "staff_id")}
