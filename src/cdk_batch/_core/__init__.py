"""The foundation: struct plumbing, token helpers, the rule registry and shared checks.

Nothing here imports another part of cdk_batch except :mod:`cdk_batch.errors`
(see ``docs/architecture.md``).
"""
