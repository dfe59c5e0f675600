variable "name" {
  description = "Lowercase prefix of resource names, e.g. \"clientnest-prod\" gives the launch template, auto scaling group and capacity provider \"clientnest-prod-gpu\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,42}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-44 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "cluster_name" {
  description = "Name of the ECS cluster the instances join. The module manages the cluster's capacity providers (aws_ecs_cluster_capacity_providers is exclusive per cluster): FARGATE, FARGATE_SPOT and this GPU capacity provider."
  type        = string
}

variable "vpc_id" {
  description = "ID of the VPC of the instances' security group."
  type        = string
}

variable "subnet_ids" {
  description = "IDs of the private subnets the instances run in (no public IPs), one per availability zone."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "The subnet_ids must hold at least one subnet."
  }
}

variable "instance_type" {
  description = "EC2 instance type with NVIDIA GPUs, e.g. \"g5.xlarge\" (one A10G)."
  type        = string

  validation {
    condition     = can(regex("^(g4dn|g5|g6|g6e|gr6|p3|p3dn|p4d|p4de|p5|p5e)\\.[a-z0-9]+$", var.instance_type))
    error_message = "The instance_type must be an NVIDIA GPU type (g4dn, g5, g6, g6e, gr6, p3, p3dn, p4d, p4de, p5, p5e families)."
  }
}

variable "min_size" {
  description = "Fewest instances; 0 lets managed scaling stop every instance while no task needs one."
  type        = number
  default     = 0

  validation {
    condition     = var.min_size >= 0 && floor(var.min_size) == var.min_size
    error_message = "The min_size must be a whole number, 0 or more."
  }
}

variable "max_size" {
  description = "Most instances managed scaling may start."
  type        = number

  validation {
    condition     = var.max_size >= 1 && floor(var.max_size) == var.max_size
    error_message = "The max_size must be a whole number, 1 or more."
  }
}

variable "target_capacity" {
  description = "Managed scaling's target: the percentage of the instances' capacity that tasks should use (100 packs them; lower keeps spare instances warm)."
  type        = number
  default     = 100

  validation {
    condition     = var.target_capacity >= 1 && var.target_capacity <= 100
    error_message = "The target_capacity must be a percentage from 1 to 100."
  }
}

variable "root_volume_size" {
  description = "Size of each instance's encrypted gp3 root volume in GiB (container images of models are large)."
  type        = number
  default     = 100

  validation {
    condition     = var.root_volume_size >= 30 && var.root_volume_size <= 16384
    error_message = "The root_volume_size must be 30-16384 GiB (the GPU AMI needs 30)."
  }
}

variable "ebs_kms_key_arn" {
  description = "ARN of the KMS key encrypting the root volumes; null uses the account's default EBS key (the account baseline's guardrails set it to a customer managed key whose policy lets EC2 Auto Scaling use it through EC2). A key given here must allow the AWSServiceRoleForAutoScaling service-linked role."
  type        = string
  default     = null

  validation {
    condition     = var.ebs_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.ebs_kms_key_arn))
    error_message = "The ebs_kms_key_arn must be null or a KMS key ARN."
  }
}

variable "ami_parameter" {
  description = "Public SSM parameter holding the AMI ID: AWS's ECS GPU-optimized AMI (NVIDIA driver, container toolkit, ECS agent), so a new AMI is picked up by the next plan."
  type        = string
  default     = "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id"

  validation {
    condition     = startswith(var.ami_parameter, "/aws/service/ecs/optimized-ami/")
    error_message = "The ami_parameter must be one of AWS's ECS-optimized AMI parameters (/aws/service/ecs/optimized-ami/...)."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource (and of the instances and volumes the group launches)."
  type        = map(string)
  default     = {}
}
