"""The mutation run's configuration stays valid (checks/mutation.py); the run itself is ``make mutation``."""
import ast
import pathlib
import shlex
import tomllib

from checks import mutation
from checks.engine import registry

CLAIMS_DIR = pathlib.Path(__file__).parent / "claims"


def _imported_derivations(path) -> set[str]:
    """The derivations modules a claims module imports (``from derivations import X`` / ``from derivations.X import f``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == mutation.PACKAGE:
            found |= {f"{mutation.PACKAGE}.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(mutation.PACKAGE + "."):
            found.add(node.module)
    return found


def test_the_targets_are_every_module_of_derivations():
    on_disk = {p.stem for p in (mutation.ROOT / mutation.PACKAGE).glob("*.py")} - {"__init__"}
    assert set(mutation.MODULES) == on_disk and len(on_disk) >= 10


def test_every_import_of_a_derivation_is_found_in_a_claim_of_that_module():
    """The lookup follows each claims module's imports into its claims: each derivations module it imports is
    reached by at least one of its claims (else a mutant there would run without the claims that certify it)."""
    claims = registry.load()
    modules = {registry.module_of(c.id).__name__ for c in claims}
    assert len(modules) >= 10
    for name in sorted(modules):
        path = CLAIMS_DIR / f"{name.rsplit('.', 1)[1]}.py"
        reached = set().union(*(mutation._modules_reached(c) for c in claims if registry.module_of(c.id).__name__ == name))
        assert _imported_derivations(path) <= reached, (name, _imported_derivations(path) - reached)


def test_every_module_has_claims_and_they_are_registered():
    ids = {c.id for c in registry.load()}
    for module in mutation.MODULES:
        using = mutation.claims_using(module)
        assert using and set(using) <= ids, module


def test_a_derivation_called_by_another_brings_that_ones_claims():
    """softplus calls the sigmoid: the softplus claims run for a sigmoid mutant too."""
    assert "softplus.derivative" in mutation.claims_using("sigmoid")
    assert "softplus.derivative" not in mutation.claims_using("softmax")


def test_each_session_config_is_cosmic_rays_toml_with_the_targeted_command():
    for module in mutation.MODULES:
        cfg = tomllib.loads(mutation.config(module, 123))["cosmic-ray"]
        assert (mutation.ROOT / cfg["module-path"]).is_file() and cfg["timeout"] == 123.0
        assert cfg["distributor"] == {"name": "local"}
        argv = shlex.split(cfg["test-command"])
        assert argv == mutation.test_command(module)
        assert argv[1:3] == ["-m", "pytest"] and "-x" in argv and "--hypothesis-profile=dev" in argv
        assert f"--hypothesis-seed={mutation.SEED}" in argv  # the same verdict on every run
        assert "--certify-report=" in argv  # a mutant's run writes no certificate
        assert argv.index(f"derivations/{module}.py") < argv.index("checks/test_claims.py")  # doctests first
        assert [a.removeprefix("--claim=") for a in argv if a.startswith("--claim=")] == mutation.claims_using(module)


def _population(counts):
    return [mutation.Mutant(module, f"core/Op{i % 3}", i) for module, n in counts.items() for i in range(n)]


def test_the_sample_is_seeded_spread_and_independent_of_order():
    pop = _population({"a": 500, "b": 40, "c": 2, "d": 300})
    chosen = mutation.sample(pop, 42, seed=14)
    assert len(chosen) == len(set(chosen)) == 42 and set(chosen) <= set(pop)
    per = {m: sum(c.module == m for c in chosen) for m in "abcd"}
    assert per["c"] == 2 and min(per["a"], per["b"], per["d"]) >= 42 // 4  # c has only 2: the rest go elsewhere
    assert mutation.sample(pop[::-1], 42, seed=14) == chosen
    assert mutation.sample(pop, 42, seed=15) != chosen
    assert mutation.sample(pop[:5], 42) == sorted(pop[:5])  # fewer than asked: all of them


def test_only_type_error_operators_are_excluded():
    assert mutation.excluded("core/ReplaceBinaryOperator_Mul_LShift")
    assert mutation.excluded("core/ReplaceBinaryOperator_Add_BitOr")
    assert mutation.excluded("core/ReplaceUnaryOperator_USub_Not")
    assert not mutation.excluded("core/ReplaceBinaryOperator_BitAnd_BitOr")  # a mask's & for |: runs
    assert not mutation.excluded("core/ReplaceBinaryOperator_Mul_Div")
    assert not mutation.excluded("core/ReplaceUnaryOperator_Delete_USub")
    assert not mutation.excluded("core/NumberReplacer")


def test_a_mutant_is_named_as_the_report_names_it():
    m = mutation.Mutant("softplus", "core/ReplaceBinaryOperator_Add_Sub", 0)
    assert str(m) == "softplus:ReplaceBinaryOperator_Add_Sub:0" and mutation.Mutant.parse(str(m)) == m
