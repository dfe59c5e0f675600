"""``dns``: the environment's public hosted zone and its regional certificate."""

from __future__ import annotations

from collections.abc import Iterator

from tfgen.rules import HOSTNAME
from tfgen.section import Call, Context, Problem, Section, SectionModel, enabled_sections


class Dns(SectionModel):
    """The environment's Route53 zone and the ALB's certificate."""

    domain: str
    wait_for_validation: bool = True


class DnsSection(Section[Dns]):
    """The regional certificate covers the names other sections ask for."""

    key = "dns"
    model = Dns
    order = 3
    modules = {"dns": "dns"}
    builds = (
        "Route53 zone, and a regional ACM certificate (DNS validation) for the names sections serve"
    )

    def calls(self, ctx: Context, part: Dns) -> list[Call]:
        """The zone, with a certificate for every name a section asks for."""
        names = [
            name
            for section, other in enabled_sections(ctx.env)
            for name in section.certificate_names(ctx, other)
        ]
        inputs = {
            "name": ctx.name,
            "domain_name": part.domain,
            "certificate_names": names,
            "wait_for_validation": part.wait_for_validation,
        }
        outputs = (("zone_name_servers", "name_servers"),)
        return [self.call("dns", inputs, outputs=outputs)]

    def problems(self, ctx: Context, part: Dns) -> Iterator[Problem]:
        """A domain name Route 53 accepts."""
        if not HOSTNAME.match(part.domain):
            yield (self.key, "domain"), f"'{part.domain}' is not a lower-case DNS name"


section = DnsSection()
