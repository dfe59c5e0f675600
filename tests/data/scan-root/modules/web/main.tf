variable "vpc_id" {
  type        = string
  description = "VPC for the security group."
}

resource "aws_s3_bucket" "logs" {
  count  = 2
  bucket = "tfgen-scan-fixture-logs-${count.index}"
}

resource "aws_security_group" "ssh" {
  name        = "ssh-open"
  description = "Open SSH, on purpose, for the scan fixture"
  vpc_id      = var.vpc_id

  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_cloudwatch_log_group" "app" {
  for_each          = toset(["api", "worker"])
  name              = "/tfgen/${each.key}"
  retention_in_days = 7
}
