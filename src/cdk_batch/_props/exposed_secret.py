"""Secrets handed to a container's log driver as options.

See: https://docs.aws.amazon.com/batch/latest/userguide/specifying-sensitive-data-secrets.html#secrets-logconfig
"""

from __future__ import annotations

from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ssm as ssm

__all__ = ["ExposedSecret"]


class ExposedSecret:
    """A log driver option whose value AWS Batch reads from a secret.

    Args:
        option_name: The name of the log driver option.
        secret_arn: The ARN of the Secrets Manager secret or SSM parameter.

    """

    def __init__(self, option_name: str, secret_arn: str) -> None:
        self._option_name = option_name
        self._secret_arn = secret_arn

    @staticmethod
    def from_secrets_manager(option_name: str, secret: secretsmanager.ISecret) -> ExposedSecret:
        """An option read from a Secrets Manager secret."""
        return ExposedSecret(option_name, secret.secret_arn)

    @staticmethod
    def from_parameters_store(option_name: str, parameter: ssm.IParameter) -> ExposedSecret:
        """An option read from an SSM Parameter Store parameter."""
        return ExposedSecret(option_name, parameter.parameter_arn)

    @property
    def option_name(self) -> str:
        """The name of the log driver option."""
        return self._option_name

    @option_name.setter
    def option_name(self, value: str) -> None:
        self._option_name = value

    @property
    def secret_arn(self) -> str:
        """The ARN of the secret or parameter holding the option's value."""
        return self._secret_arn

    @secret_arn.setter
    def secret_arn(self, value: str) -> None:
        self._secret_arn = value

    def __repr__(self) -> str:
        return f"ExposedSecret(option_name={self._option_name!r}, secret_arn={self._secret_arn!r})"
