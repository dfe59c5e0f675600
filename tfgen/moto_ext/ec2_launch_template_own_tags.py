"""EC2: a launch template's own tags stay on the template, out of its versions' data.

moto 5.2 copies the TagSpecifications of CreateLaunchTemplate, which tag the
launch template itself, into the first version's LaunchTemplateData, as if
instances were to be launched with a ``launch-template`` tag specification. AWS
keeps them on the template. With provider ``default_tags`` every plan then
wanted to remove that block from the template's data (a new version, and an
update of every auto scaling group using it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from moto.core.responses import ActionResult
from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.ec2.utils import parse_user_data

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Response = LaunchTemplates
else:
    _Response = object


class OwnTagsLaunchTemplates(_Response):
    """Methods for moto's ``LaunchTemplates`` (EC2 responses)."""

    def create_launch_template(self) -> ActionResult:
        """CreateLaunchTemplate: the data as given; the tag specification tags the template."""
        name = self._get_param("LaunchTemplateName")
        tag_spec = self._parse_tag_specification()
        data = self._get_param("LaunchTemplateData", {})
        data["UserData"] = parse_user_data(self._get_param("LaunchTemplateData.UserData"))
        self.error_on_dryrun()
        template = self.ec2_backend.create_launch_template(
            name, self._get_param("VersionDescription"), data, tag_spec
        )
        version = template.default_version()
        return ActionResult(
            {
                "LaunchTemplate": {
                    "CreateTime": version.create_time,
                    "CreatedBy": f"arn:{self.partition}:iam::{self.current_account}:root",
                    "DefaultVersionNumber": template.default_version_number,
                    "LatestVersionNumber": version.number,
                    "LaunchTemplateId": template.id,
                    "LaunchTemplateName": template.name,
                    "Tags": template.tags,
                }
            }
        )


def check(session: boto3.Session) -> bool:
    """A template tagged at creation has the tags; its version's data has only its own."""
    ec2 = session.client("ec2")
    instance_tags = {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "node"}]}
    created = ec2.create_launch_template(
        LaunchTemplateName="ext-own-tags",
        LaunchTemplateData={"InstanceType": "t3.micro", "TagSpecifications": [instance_tags]},
        TagSpecifications=[
            {"ResourceType": "launch-template", "Tags": [{"Key": "Team", "Value": "ai"}]}
        ],
    )["LaunchTemplate"]
    version = ec2.describe_launch_template_versions(LaunchTemplateId=created["LaunchTemplateId"])
    data = version["LaunchTemplateVersions"][0]["LaunchTemplateData"]
    template = ec2.describe_launch_templates(LaunchTemplateIds=[created["LaunchTemplateId"]])
    return bool(
        data.get("TagSpecifications") == [instance_tags]
        and template["LaunchTemplates"][0].get("Tags") == [{"Key": "Team", "Value": "ai"}]
    )


EXTENSION = Extension(
    name="ec2_launch_template_own_tags",
    summary="a launch template's own tags stay on the template, not in its first version's data",
    operations=("CreateLaunchTemplate", "DescribeLaunchTemplateVersions"),
    grafts=(Graft(LaunchTemplates, OwnTagsLaunchTemplates),),
    check=check,
)
