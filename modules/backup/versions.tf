terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
      # The DR region's provider, for the copy vault; pass the default one without copy.
      configuration_aliases = [aws.dr]
    }
  }
}
