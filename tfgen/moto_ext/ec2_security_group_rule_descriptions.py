"""EC2: the description of a security group rule that references another group.

moto 5.2 keeps such a rule's description with the referenced group, but
DescribeSecurityGroupRules reads descriptions only from CIDR ranges: a rule
"from the ALB's security group" came back without its description, so every
plan wanted to set it again on ``aws_vpc_security_group_ingress_rule`` and
``aws_vpc_security_group_egress_rule``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from moto.ec2.models.security_groups import SecurityGroupRule

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Rule = SecurityGroupRule
else:
    _Rule = object


class ReferencingRuleDescription(_Rule):
    """Properties for moto's ``SecurityGroupRule``."""

    @property
    def description(self) -> str | None:
        """The rule's description, whether it allows a CIDR range or a security group."""
        return self.ip_range.get("Description") or self.source_group.get("Description")


def check(session: boto3.Session) -> bool:
    """An ingress rule from another group describes itself with its description."""
    ec2 = session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.6.0.0/16")["Vpc"]["VpcId"]
    app = ec2.create_security_group(GroupName="ext-app", Description="x", VpcId=vpc)["GroupId"]
    alb = ec2.create_security_group(GroupName="ext-alb", Description="x", VpcId=vpc)["GroupId"]
    rule = ec2.authorize_security_group_ingress(
        GroupId=app,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [{"GroupId": alb, "Description": "from the ALB"}],
            }
        ],
    )["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    described = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule])
    found = described["SecurityGroupRules"][0]
    return bool(
        found.get("Description") == "from the ALB"
        and found.get("ReferencedGroupInfo", {}).get("GroupId") == alb
    )


EXTENSION = Extension(
    name="ec2_security_group_rule_descriptions",
    summary="descriptions of security group rules that reference another group read back",
    operations=("DescribeSecurityGroupRules",),
    grafts=(Graft(SecurityGroupRule, ReferencingRuleDescription),),
    check=check,
)
