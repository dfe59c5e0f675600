resource "aws_sns_topic" "alerts" {
  name = "clientnest-nonprod-alerts"
}

module "threat_detection" {
  source = "./modules/threat-detection"

  name             = "clientnest-nonprod"
  alerts_topic_arn = aws_sns_topic.alerts.arn
  tags             = { Component = "baseline" }
}

output "guardduty_detector_id" {
  value = module.threat_detection.guardduty_detector_id
}

output "securityhub_standards_arns" {
  value = module.threat_detection.securityhub_standards_arns
}
