"""The API generations a simulator serves, each with the validator compiled from its own effective spec."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from criteo_catalog_sdk.api_versions import API_VERSIONS, ApiVersion, get_api_version
from criteo_catalog_sdk.simulator.validation import BatchValidator

#: What ``SimulatorConfig.api_versions`` holds: installed generations by name, or ApiVersion objects
#: (synthetic generations built from two spec documents, in tests).
GenerationSpec = str | ApiVersion


@dataclass(frozen=True, slots=True)
class Generation:
    """One served generation: where its operations live and how its batch bodies are checked."""

    version: ApiVersion
    validator: BatchValidator

    @property
    def name(self) -> str:
        """The generation's name (``preview``, ``2027-01``...)."""
        return self.version.name


def build_generations(specs: Iterable[GenerationSpec] | None = None) -> dict[str, Generation]:
    """Generations by name, in the given order (default: every installed one).

    Names are looked up among the installed generations (an unknown one raises
    :class:`~criteo_catalog_sdk.errors.ConfigurationError`, a ValueError); ApiVersion objects are used as they are.
    """
    chosen: Iterable[GenerationSpec] = API_VERSIONS if specs is None else specs
    out: dict[str, Generation] = {}
    for spec in chosen:
        version = get_api_version(spec)
        if version.name in out:
            raise ValueError(f"API generation {version.name!r} is listed twice")
        out[version.name] = Generation(version, BatchValidator.for_version(version))
    if not out:
        raise ValueError("a simulator must serve at least one API generation")
    return out


def generation_names(specs: Iterable[GenerationSpec] | None) -> tuple[str, ...]:
    """The names of what :func:`build_generations` would serve, without compiling anything."""
    if specs is None:
        return API_VERSIONS
    return tuple(spec.name if isinstance(spec, ApiVersion) else get_api_version(spec).name for spec in specs)


def check_served(names: Iterable[str], served: Iterable[str], what: str = "lifecycle set") -> None:
    """Raise ValueError naming the generations of ``names`` that are not ``served``."""
    served = tuple(served)
    unknown = sorted(set(names) - set(served))
    if unknown:
        raise ValueError(f"{what} for generations not served: {', '.join(unknown)} (served: {', '.join(served)})")


def describe(generation: Generation) -> Mapping[str, object]:
    """A JSON view of a generation's operations (control endpoint)."""
    version = generation.version
    return {
        "name": version.name,
        "merchantIdType": version.merchant_id_type,
        "operations": {
            name: None if op is None else {"method": op.method, "path": op.template}
            for name, op in (("batch", version.batch), ("report", version.report), ("stats", version.stats))
        },
    }
