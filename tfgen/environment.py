"""One environment of the inventory: its own settings plus a part per section.

The model is assembled from the section registry, so a new section file adds
its key here without an edit: every section's model becomes a field.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model

from tfgen.section import SectionModel, Strict, all_sections


class EnvironmentBase(Strict):
    """The settings of an environment that belong to no section."""

    region: str
    name_tag_prefix: str | None = None
    production: bool = False
    deletion_protection: bool = False
    tags: dict[str, str] = Field(default_factory=dict)

    def part(self, key: str) -> Any:
        """The part of section ``key`` (None when the environment has none)."""
        return getattr(self, key, None)

    def has(self, key: str) -> bool:
        """Whether section ``key`` is present and enabled."""
        part = self.part(key)
        if part is None:
            return False
        return part.enabled if isinstance(part, SectionModel) else True


def _environment_model() -> type[EnvironmentBase]:
    fields: dict[str, Any] = {section.key: section.field() for section in all_sections()}
    model: type[EnvironmentBase] = create_model(
        "Environment",
        __base__=EnvironmentBase,
        __doc__="One environment, after ``defaults`` were merged under it.",
        **fields,
    )
    return model


Environment = _environment_model()
