################################################################################
# CIS AWS Foundations Benchmark monitoring: a metric filter on the trail's log
# group and an alarm to the alerts topic for each (CIS 4.1-4.15, Security Hub
# CloudWatch.1-14). Patterns as in the benchmark.
################################################################################

locals {
  cis_filters = {
    "unauthorized-api-calls" = {
      metric  = "UnauthorizedAPICalls"
      about   = "CIS 4.1: unauthorized API calls"
      pattern = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"
    }
    "console-signin-without-mfa" = {
      metric  = "ConsoleSigninWithoutMFA"
      about   = "CIS 4.2: console sign-in of an IAM user without MFA"
      pattern = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") && ($.userIdentity.type = \"IAMUser\") && ($.responseElements.ConsoleLogin = \"Success\") }"
    }
    "root-account-usage" = {
      metric  = "RootAccountUsage"
      about   = "CIS 4.3: use of the root user"
      pattern = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    }
    "iam-policy-changes" = {
      metric  = "IAMPolicyChanges"
      about   = "CIS 4.4: IAM policy changes"
      pattern = "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy)) }"
    }
    "cloudtrail-config-changes" = {
      metric  = "CloudTrailConfigChanges"
      about   = "CIS 4.5: CloudTrail configuration changes"
      pattern = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
    }
    "console-auth-failures" = {
      metric  = "ConsoleAuthenticationFailures"
      about   = "CIS 4.6: failed console authentications"
      pattern = "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }"
    }
    "kms-key-disable-or-deletion" = {
      metric  = "KMSKeyDisableOrScheduledDeletion"
      about   = "CIS 4.7: customer managed KMS keys disabled or scheduled for deletion"
      pattern = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"
    }
    "s3-bucket-policy-changes" = {
      metric  = "S3BucketPolicyChanges"
      about   = "CIS 4.8: S3 bucket policy changes"
      pattern = "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"
    }
    "config-changes" = {
      metric  = "AWSConfigChanges"
      about   = "CIS 4.9: AWS Config configuration changes"
      pattern = "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }"
    }
    "security-group-changes" = {
      metric  = "SecurityGroupChanges"
      about   = "CIS 4.10: security group changes"
      pattern = "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"
    }
    "nacl-changes" = {
      metric  = "NetworkACLChanges"
      about   = "CIS 4.11: network ACL changes"
      pattern = "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"
    }
    "network-gateway-changes" = {
      metric  = "NetworkGatewayChanges"
      about   = "CIS 4.12: network gateway changes"
      pattern = "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"
    }
    "route-table-changes" = {
      metric  = "RouteTableChanges"
      about   = "CIS 4.13: route table changes"
      pattern = "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }"
    }
    "vpc-changes" = {
      metric  = "VPCChanges"
      about   = "CIS 4.14: VPC changes"
      pattern = "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"
    }
    "organizations-changes" = {
      metric  = "OrganizationsChanges"
      about   = "CIS 4.15: AWS Organizations changes"
      pattern = "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || ($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }"
    }
  }

  cis_alarms = { for key in var.cis_alarms : key => local.cis_filters[key] }
}

resource "aws_cloudwatch_log_metric_filter" "cis" {
  for_each = local.cis_alarms

  name           = "${var.name}-cis-${each.key}"
  log_group_name = aws_cloudwatch_log_group.this.name
  pattern        = each.value.pattern

  metric_transformation {
    name      = each.value.metric
    namespace = var.metric_namespace
    value     = "1"
  }
}

# One event is enough: each of these is rare and worth a look.
resource "aws_cloudwatch_metric_alarm" "cis" {
  for_each = local.cis_alarms

  alarm_name          = "${var.name}-cis-${each.key}"
  alarm_description   = "${each.value.about} (from the CloudTrail log group ${local.log_group_name})."
  namespace           = var.metric_namespace
  metric_name         = each.value.metric
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alerts_topic_arn]

  tags = var.tags

  depends_on = [aws_cloudwatch_log_metric_filter.cis]
}
