"""``config`` (accounts): AWS Config recording every resource, with CIS-aligned managed rules."""

from __future__ import annotations

from pydantic import Field

from tfgen.section import Call, Context, Section, SectionModel


class Config(SectionModel):
    """The account's configuration recorder and its rules."""

    excluded_rules: list[str] = Field(default_factory=list)


class ConfigSection(Section[Config]):
    """Global resources are recorded in the account's home region only (its roots' region)."""

    key = "config"
    scope = "account"
    model = Config
    order = 120
    modules = {"config": "config"}
    builds = (
        "AWS Config: a recorder for all supported resources (global ones in the home region),"
        " a delivery channel to its own hardened bucket, CIS-aligned AWS managed rules"
    )

    def calls(self, ctx: Context, part: Config) -> list[Call]:
        """The config module call."""
        inputs = {
            "name": ctx.name,
            # An account root runs in its home region: the one place for global resources.
            "is_home_region": True,
            "excluded_rules": list(part.excluded_rules),
            "deletion_window_in_days": 30 if ctx.env.deletion_protection else 7,
            "force_destroy": not ctx.env.deletion_protection,
        }
        return [self.call("config", inputs, outputs=(("config_recorder", "recorder_name"),))]


section = ConfigSection()
