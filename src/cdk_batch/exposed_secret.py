"""Secrets handed to a container's log driver as options.

See: https://docs.aws.amazon.com/batch/latest/userguide/specifying-sensitive-data-secrets.html#secrets-logconfig
"""

from ._props.exposed_secret import ExposedSecret

__all__ = ["ExposedSecret"]
