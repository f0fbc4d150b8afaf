"""Shortcuts into the jsii runtime, each checked once and with a plain fallback.

Every call from Python into aws-cdk-lib is a round trip to Node.js, and the
generated Python bindings add their own work on top of each one: a runtime
type check of every argument (``typeguard``, while ``__debug__`` is true) and
a Python props struct built only to be serialized again. The library makes
many such calls per construct, so two of them take a shorter way:

- :func:`new` creates an aws-cdk-lib construct (an L1 such as
  ``CfnJobQueue``, or an L2 such as ``iam.Role``) with one kernel request
  carrying the props as a map keyed by their JavaScript names, the way the
  generated ``__init__`` itself ends (``jsii.create``). The Node.js kernel
  still checks every value against the props type and refuses a wrong one.
  The object is an instance of the same class, registered with the runtime
  the same way, so ``default_child``, ``override_logical_id``, ``Tags.of``
  and every attribute behave as for an object made through the binding.
- :func:`init_resource` does what the generated ``Resource.__init__`` does
  for a construct of this library (one ``jsii.create`` of the Python
  subclass, so its overrides and interfaces are registered as before),
  without the binding's type checks and ``ResourceProps`` struct.
- :func:`js_struct` gives a nested L1 property struct (such as
  ``CfnComputeEnvironment.ComputeResourcesProperty``) as a map keyed by its
  JavaScript names, for :func:`new` to hand over: the generated struct
  class checks every field, including the unset ones, and is serialized
  with all of them. The kernel checks the map against the struct type. Such
  a map only goes to :func:`new`, never to a generated binding (which would
  read its keys as Python names).
- :func:`registry_image_name` reads the name of an ``ecs.RepositoryImage``
  with one ``Stack.resolve`` instead of binding it against a container
  definition and reading two values back.

Each relies on something the jsii runtime or aws-cdk-lib does not promise
(``tests/test_direct.py`` fails loudly when an upgrade changes it): the
entry point ``jsii.create(cls, obj, args)`` and the ``__jsii_name_mapping__``
of the generated structs; and the ``imageName`` and ``props`` fields of
a resolved ``RepositoryImage``. When the first is missing, :func:`new`,
:func:`init_resource` and :func:`js_struct` call the generated bindings;
when the second does not hold, the image is bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import jsii
from aws_cdk import Resource, ResourceProps, Stack
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from .._core.tokens import is_unknown

_T = TypeVar("_T")

_create = getattr(jsii, "create", None)
_mappings: dict[type, Mapping[str, str] | None] = {}
_resource_props = getattr(ResourceProps, "__jsii_name_mapping__", None)
_RESOURCE_PROPS: Mapping[str, str] | None = (
    _resource_props
    if isinstance(_resource_props, Mapping) and "physical_name" in _resource_props
    else None
)


def new(cls: type[_T], scope: object, id: str, **props: Any) -> _T:
    """Create ``cls(scope, id, **props)`` with one kernel request.

    ``props`` take the binding's keyword names; ``None`` means unset, as in
    the binding. Nested values may be the binding's struct objects or maps
    with JavaScript keys.
    """
    mapping = _name_mapping(cls)
    if mapping is None:
        return cls(scope, id, **props)  # type: ignore[call-arg]
    data = {mapping[key]: value for key, value in props.items() if value is not None}
    obj = cls.__new__(cls)
    assert _create is not None
    _create(cls, obj, [scope, id, data])
    return obj


def init_resource(
    obj: Resource, scope: Construct, id: str, *, physical_name: str | None = None
) -> None:
    """Initialize ``obj``, an instance of a ``Resource`` subclass, as ``Resource.__init__`` does.

    Call it in place of ``super().__init__(scope, id, physical_name=...)``.
    """
    mapping = _RESOURCE_PROPS
    if _create is None or mapping is None:
        Resource.__init__(obj, scope, id, physical_name=physical_name)
        return
    props = {} if physical_name is None else {mapping["physical_name"]: physical_name}
    _create(type(obj), obj, [scope, id, props])


def js_struct(cls: type, **values: Any) -> Any:
    """The jsii struct ``cls(**values)`` as a map with JavaScript keys, for :func:`new` only.

    ``values`` take the struct's keyword names; ``None`` means unset. Falls
    back to the struct object when ``cls`` carries no name mapping.
    """
    mapping = getattr(cls, "__jsii_name_mapping__", None) if _create is not None else None
    if not isinstance(mapping, Mapping) or not mapping:
        return cls(**values)
    return {mapping[key]: value for key, value in values.items() if value is not None}


def _name_mapping(cls: type) -> Mapping[str, str] | None:
    """Python keyword to JavaScript name for the props of ``cls``, or None to use the binding."""
    if cls in _mappings:
        return _mappings[cls]
    found: Mapping[str, str] | None = None
    if _create is not None and getattr(cls, "__jsii_type__", None):
        module = __import__(cls.__module__, fromlist=["_"])
        props_class = getattr(module, f"{cls.__name__}Props", None)
        mapping = getattr(props_class, "__jsii_name_mapping__", None)
        if isinstance(mapping, Mapping) and mapping:
            found = dict(mapping)
    _mappings[cls] = found
    return found


def registry_image_name(stack: Stack, image: ecs.ContainerImage) -> str | None:
    """The name of a registry image that needs no grant, or None to bind it instead.

    None for any other image, an image with registry credentials (its binding
    grants read access to the secret) or a name that is a token.
    """
    if not isinstance(image, ecs.RepositoryImage):
        return None
    try:
        resolved = stack.resolve(image)
    except RuntimeError:  # credentials: a construct cannot be resolved as data
        return None
    if not isinstance(resolved, Mapping):
        return None
    name = resolved.get("imageName")
    options = resolved.get("props")
    if not isinstance(name, str) or is_unknown(name) or options not in ({}, None):
        return None
    return name
