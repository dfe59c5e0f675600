"""tfgen: one YAML inventory in, plain Terraform roots per environment out."""

__version__ = "0.1.0"
