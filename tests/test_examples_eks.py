"""The EKS example app synthesizes, and every template passes cfn-lint."""

from __future__ import annotations

from pathlib import Path

from examples.eks_app import build_app

from .lint import cfn_lint_errors


def test_eks_app_templates_pass_cfn_lint(tmp_path: Path) -> None:
    assembly = build_app(outdir=str(tmp_path)).synth()
    stacks = assembly.stacks
    assert [s.stack_name for s in stacks] == ["EksBatch"]
    for stack in stacks:
        template = stack.template
        types = [r["Type"] for r in template["Resources"].values()]
        assert types.count("AWS::Batch::ComputeEnvironment") == 1
        assert types.count("AWS::Batch::JobQueue") == 1
        assert types.count("AWS::Batch::JobDefinition") == 1
        assert "Custom::AWSCDK-EKS-Cluster" in types
        assert cfn_lint_errors(template) == []


def test_eks_app_wires_the_cluster_into_the_environment(tmp_path: Path) -> None:
    template = build_app(outdir=str(tmp_path)).synth().stacks[0].template
    resources = template["Resources"]
    (env,) = [r for r in resources.values() if r["Type"] == "AWS::Batch::ComputeEnvironment"]
    cluster_id = next(k for k, r in resources.items() if r["Type"] == "Custom::AWSCDK-EKS-Cluster")
    assert env["Properties"]["EksConfiguration"] == {
        "EksClusterArn": {"Fn::GetAtt": [cluster_id, "Arn"]},
        "KubernetesNamespace": "batch-jobs",
    }
    (job,) = [r for r in resources.values() if r["Type"] == "AWS::Batch::JobDefinition"]
    pod = job["Properties"]["EksProperties"]["PodProperties"]
    assert [v["Name"] for v in pod["Volumes"]] == ["scratch", "config", "data", "host-logs"]
    assert pod["Volumes"][0]["EmptyDir"] == {"SizeLimit": "4096Mi"}
    assert pod["HostNetwork"] is False and pod["DnsPolicy"] == "ClusterFirst"
