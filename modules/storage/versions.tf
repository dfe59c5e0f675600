terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
      # The replica region's provider; pass the default one when replication is null.
      configuration_aliases = [aws.replica]
    }
  }
}
