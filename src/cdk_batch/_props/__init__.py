"""The props layer: the enums, structs and interfaces that users pass to constructs.

Plain data and its defaults, readable without the construct that renders it.
Rules read these classes; constructs take them. Imports only ``_core`` (see
``docs/architecture.md``).
"""
