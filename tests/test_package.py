"""The package surface: lazy loading, and help that shows the real keywords."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from constructs import Construct

import cdk_batch as batch
from cdk_batch._core.structs import Struct

ROOT = Path(__file__).resolve().parent.parent
INIT = ROOT / "src" / "cdk_batch" / "__init__.py"


def _loaded_after(statement: str) -> list[str]:
    probe = (
        f"{statement}\nimport sys\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'aws_cdk', 'jsii', 'constructs'}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return ast.literal_eval(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_importing_the_tools_does_not_start_the_cdk() -> None:
    assert _loaded_after("import cdk_batch, cdk_batch.migrate, cdk_batch.errors") == []


def test_a_public_name_loads_its_module() -> None:
    assert _loaded_after("import cdk_batch as batch; batch.JobQueue") == [
        "aws_cdk",
        "constructs",
        "jsii",
    ]
    assert batch.JobQueue.__module__ == "cdk_batch.job_queue"
    from cdk_batch import ComputeEnvironment

    assert ComputeEnvironment is batch.ComputeEnvironment


def _probe(program: str) -> str:
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_classic_constructs_do_not_load_aws_eks() -> None:
    # aws_eks only appears in an annotation of the EKS props, resolved on first use.
    program = (
        "import sys, cdk_batch as b\n"
        "b.JobQueue, b.ComputeEnvironment, b.JobDefinition\n"
        "before = 'aws_cdk.aws_eks' in sys.modules\n"
        "from cdk_batch._core.structs import field_types\n"
        "hint = field_types(b.ManagedEc2EksComputeEnvironmentProps)['eks_cluster']\n"
        "print(before, hint)"
    )
    assert _probe(program) == "False aws_cdk.aws_eks.ICluster | str"


def test_help_text_is_built_on_first_read_not_on_load() -> None:
    program = (
        "import inspect, cdk_batch as b\n"
        "from cdk_batch._core import docs\n"
        "b.JobQueue, b.ComputeResources\n"
        "parsed = docs._module_tree.cache_info().currsize\n"
        "init = inspect.getdoc(b.JobQueue.__init__)\n"
        "sig = list(inspect.signature(b.ComputeEnvironment).parameters)[:3]\n"
        "print(parsed, docs._module_tree.cache_info().currsize > 0, 'priority (' in init, sig)"
    )
    assert _probe(program) == "0 True True ['scope', 'id', 'compute_environment_name']"


def test_instances_made_before_the_help_text_are_unaffected() -> None:
    program = (
        "import dataclasses, inspect, cdk_batch as b\n"
        "made = b.LaunchTemplateSpecification(launch_template_name='lt')\n"
        "again = dataclasses.replace(made, version='2')\n"
        "doc = inspect.getdoc(b.LaunchTemplateSpecification)\n"
        "print(made.launch_template_name, again.version, 'Attributes:' in doc, made == again)"
    )
    assert _probe(program) == "lt 2 True False"


def test_the_flags_submodule_is_an_attribute() -> None:
    assert batch.flags.NO_EMPTY_TIMEOUT == "@cdk-batch/aws-batch:noEmptyTimeout"
    assert "flags" in dir(batch)


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'NoSuchThing'"):
        batch.NoSuchThing  # noqa: B018


def test_all_the_lazy_map_and_the_type_checking_imports_agree() -> None:
    tree = ast.parse(INIT.read_text())
    typed: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom)
                typed.update(a.asname or a.name for a in stmt.names)
    lazy = {n for names in batch._SOURCES.values() for n in names}
    assert sorted(batch.__all__) == sorted(lazy) == sorted(typed - set(batch._SUBMODULES))
    assert len(batch.__all__) == len(set(batch.__all__))
    assert set(dir(batch)) >= set(batch.__all__)


PUBLIC = [getattr(batch, n) for n in batch.__all__]
CONSTRUCTS = [c for c in PUBLIC if isinstance(c, type) and issubclass(c, Construct)]
STRUCTS = [c for c in PUBLIC if isinstance(c, type) and issubclass(c, Struct)]


def test_there_are_constructs_and_structs_to_check() -> None:
    names = {c.__name__ for c in CONSTRUCTS}
    assert {"ComputeEnvironment", "JobQueue", "JobDefinition"} <= names
    assert {"ComputeResources", "JobDefinitionContainer", "JobQueueProps"} <= {
        s.__name__ for s in STRUCTS
    }


@pytest.mark.parametrize("cls", CONSTRUCTS, ids=lambda c: c.__name__)
def test_construct_signature_is_the_real_one(cls: type) -> None:
    sig = inspect.signature(cls)
    own = inspect.signature(cls.__init__)  # type: ignore[misc]
    assert list(sig.parameters) == list(own.parameters)[1:]
    assert list(sig.parameters)[:2] == ["scope", "id"]
    for p in list(sig.parameters.values())[2:]:
        assert p.kind is inspect.Parameter.KEYWORD_ONLY, p
        assert p.annotation is not inspect.Parameter.empty, p


@pytest.mark.parametrize("cls", CONSTRUCTS, ids=lambda c: c.__name__)
def test_construct_help_documents_every_keyword(cls: type) -> None:
    doc = inspect.getdoc(cls.__init__)  # type: ignore[misc]
    assert doc is not None
    # Not the docstring of aws_cdk.Resource.__init__.
    assert "physical_name" not in doc and "environment_from_arn" not in doc
    assert "Not documented" not in doc
    for name, p in inspect.signature(cls).parameters.items():
        assert f"    {name} (" in doc, name
        if p.default is None:
            assert f"{name} ({p.annotation} = None):" in doc
    text = _help(cls)
    assert f"{cls.__name__}(scope: 'Construct', id: 'str', *," in text
    assert "*args" not in text.split("Method resolution order")[0]


@pytest.mark.parametrize("cls", STRUCTS, ids=lambda c: c.__name__)
def test_struct_help_documents_every_field(cls: type) -> None:
    doc = inspect.getdoc(cls)
    assert doc is not None and "Attributes:" in doc
    assert "Not documented" not in doc
    for f in dataclasses.fields(cls):
        assert f"    {f.name} (" in doc, f.name
        if f.default is None:
            # Optional fields say their default in words.
            entry = doc.split(f"\n    {f.name} (", 1)[1]
            entry = entry.split("\n    ", 1)[0] if "\n    " in entry else entry
            lines = doc.split(f"\n    {f.name} (", 1)[1].splitlines()[1:]
            body = []
            for line in lines:
                if line.startswith("    ") and not line.startswith("        "):
                    break
                body.append(line)
            assert "Default:" in "\n".join(body), f.name
    init_doc = inspect.getdoc(cls.__init__)
    assert init_doc is not None and "Args:" in init_doc


def test_help_of_compute_environment_reads_like_the_alpha() -> None:
    text = _help(batch.ComputeEnvironment)
    assert "compute_resources (ComputeResources | Mapping[str, Any] | None = None):" in text
    assert "Whether AWS Batch manages the capacity. Default: true" in text
    struct = _help(batch.ComputeResources)
    assert "maxv_cpus (float | None = None):" in struct
    assert "The most vCPUs the environment may run. Default: 256" in struct


def _help(obj: object) -> str:
    import pydoc

    return pydoc.render_doc(obj, renderer=pydoc.plaintext)
