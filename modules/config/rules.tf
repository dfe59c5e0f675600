################################################################################
# AWS managed Config rules aligned with the CIS AWS Foundations Benchmark.
# Account-wide (IAM, root user) rules run in the home region only.
################################################################################

locals {
  pp = var.password_policy

  global_rules = {
    "root-account-mfa-enabled" = {
      identifier = "ROOT_ACCOUNT_MFA_ENABLED"
      about      = "The root user has MFA (CIS 1.5)."
    }
    "iam-root-access-key-check" = {
      identifier = "IAM_ROOT_ACCESS_KEY_CHECK"
      about      = "The root user has no access keys (CIS 1.4)."
    }
    "iam-password-policy" = {
      identifier = "IAM_PASSWORD_POLICY"
      about      = "The account password policy meets the baseline (CIS 1.8, 1.9)."
      parameters = jsonencode({
        RequireUppercaseCharacters = "true"
        RequireLowercaseCharacters = "true"
        RequireSymbols             = "true"
        RequireNumbers             = "true"
        MinimumPasswordLength      = tostring(local.pp.minimum_length)
        PasswordReusePrevention    = "24"
        MaxPasswordAge             = tostring(local.pp.max_age_days)
      })
    }
    "mfa-enabled-for-iam-console-access" = {
      identifier = "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS"
      about      = "IAM users with a console password have MFA (CIS 1.10)."
    }
    "access-keys-rotated" = {
      identifier = "ACCESS_KEYS_ROTATED"
      about      = "Active access keys are rotated within ${var.access_key_max_age_days} days (CIS 1.14)."
      parameters = jsonencode({ maxAccessKeyAge = tostring(var.access_key_max_age_days) })
    }
    "iam-user-unused-credentials-check" = {
      identifier = "IAM_USER_UNUSED_CREDENTIALS_CHECK"
      about      = "IAM user credentials unused for ${var.unused_credentials_max_age_days} days are disabled (CIS 1.12)."
      parameters = jsonencode({ maxCredentialUsageAge = tostring(var.unused_credentials_max_age_days) })
    }
    "iam-user-no-policies-check" = {
      identifier = "IAM_USER_NO_POLICIES_CHECK"
      about      = "IAM users get permissions through groups only (CIS 1.15)."
    }
    "iam-policy-no-statements-with-admin-access" = {
      identifier = "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"
      about      = "No customer managed policy allows \"*\" on \"*\" (CIS 1.16)."
    }
    "multi-region-cloudtrail-enabled" = {
      identifier = "MULTI_REGION_CLOUD_TRAIL_ENABLED"
      about      = "A multi-region trail records management events (CIS 3.1)."
    }
    "s3-account-level-public-access-blocks-periodic" = {
      identifier = "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC"
      about      = "The account-level S3 public access block is on (CIS 2.1.4)."
    }
  }

  regional_rules = {
    "iam-external-access-analyzer-enabled" = {
      identifier = "IAM_EXTERNAL_ACCESS_ANALYZER_ENABLED"
      about      = "IAM Access Analyzer is enabled in the region (CIS 1.20)."
    }
    "cloud-trail-log-file-validation-enabled" = {
      identifier = "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED"
      about      = "Trails validate their log files (CIS 3.2)."
    }
    "cloud-trail-encryption-enabled" = {
      identifier = "CLOUD_TRAIL_ENCRYPTION_ENABLED"
      about      = "Trails encrypt their logs with KMS (CIS 3.5)."
    }
    "cloud-trail-cloud-watch-logs-enabled" = {
      identifier = "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED"
      about      = "Trails deliver to CloudWatch Logs (CIS 3.4)."
    }
    "cmk-backing-key-rotation-enabled" = {
      identifier = "CMK_BACKING_KEY_ROTATION_ENABLED"
      about      = "Customer managed KMS keys rotate (CIS 3.6)."
    }
    "vpc-flow-logs-enabled" = {
      identifier = "VPC_FLOW_LOGS_ENABLED"
      about      = "Every VPC has flow logs (CIS 3.7)."
    }
    "s3-bucket-public-read-prohibited" = {
      identifier = "S3_BUCKET_PUBLIC_READ_PROHIBITED"
      about      = "No bucket allows public read access."
    }
    "s3-bucket-public-write-prohibited" = {
      identifier = "S3_BUCKET_PUBLIC_WRITE_PROHIBITED"
      about      = "No bucket allows public write access."
    }
    "s3-bucket-ssl-requests-only" = {
      identifier = "S3_BUCKET_SSL_REQUESTS_ONLY"
      about      = "Bucket policies refuse requests without TLS (CIS 2.1.1)."
    }
    "encrypted-volumes" = {
      identifier = "ENCRYPTED_VOLUMES"
      about      = "Attached EBS volumes are encrypted (CIS 2.2.1)."
    }
    "ec2-ebs-encryption-by-default" = {
      identifier = "EC2_EBS_ENCRYPTION_BY_DEFAULT"
      about      = "EBS encryption by default is on in the region (CIS 2.2.1)."
    }
    "rds-storage-encrypted" = {
      identifier = "RDS_STORAGE_ENCRYPTED"
      about      = "RDS instances encrypt their storage (CIS 2.3.1)."
    }
    "ec2-imdsv2-check" = {
      identifier = "EC2_IMDSV2_CHECK"
      about      = "EC2 instances require IMDSv2 (CIS 5.6)."
    }
    "restricted-ssh" = {
      identifier = "INCOMING_SSH_DISABLED"
      about      = "No security group allows SSH from anywhere (CIS 5.2)."
    }
    "restricted-common-ports" = {
      identifier = "RESTRICTED_INCOMING_TRAFFIC"
      about      = "No security group allows common admin and database ports from anywhere (CIS 5.2, 5.3)."
    }
    "nacl-no-unrestricted-ssh-rdp" = {
      identifier = "NACL_NO_UNRESTRICTED_SSH_RDP"
      about      = "No network ACL allows SSH or RDP from anywhere (CIS 5.1)."
    }
    "vpc-default-security-group-closed" = {
      identifier = "VPC_DEFAULT_SECURITY_GROUP_CLOSED"
      about      = "Default security groups allow no traffic (CIS 5.4)."
    }
    "guardduty-enabled-centralized" = {
      identifier = "GUARDDUTY_ENABLED_CENTRALIZED"
      about      = "GuardDuty is enabled in the region."
    }
    "securityhub-enabled" = {
      identifier = "SECURITYHUB_ENABLED"
      about      = "Security Hub is enabled in the region (CIS 4.16)."
    }
  }

  # Parameters are JSON strings; rules without parameters get null.
  rules = {
    for name, rule in merge(local.global_rules, local.regional_rules) :
    name => merge({ parameters = null }, rule)
    if(var.is_home_region || !contains(keys(local.global_rules), name)) && !contains(var.excluded_rules, name)
  }
}

resource "aws_config_config_rule" "this" {
  for_each = local.rules

  name             = each.key
  description      = each.value.about
  input_parameters = each.value.parameters

  source {
    owner             = "AWS"
    source_identifier = each.value.identifier
  }

  tags = var.tags

  # Rules evaluate what the recorder records.
  depends_on = [aws_config_configuration_recorder.this]
}
