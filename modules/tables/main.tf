locals {
  provisioned = { for key, table in var.tables : key => table if table.billing_mode == "PROVISIONED" }

  # One scaling target per provisioned table and direction: "<table>/read", "<table>/write".
  scaling = merge([
    for key, table in local.provisioned : {
      "${key}/read"  = { table = key, dimension = "ReadCapacityUnits", metric = "DynamoDBReadCapacityUtilization", range = table.read_capacity, target = table.target_utilization }
      "${key}/write" = { table = key, dimension = "WriteCapacityUnits", metric = "DynamoDBWriteCapacityUtilization", range = table.write_capacity, target = table.target_utilization }
    }
  ]...)
}

# Read back so that the encryption setting refers to a key object rather than to a
# variable: plan scanners (checkov CKV_AWS_119) only follow such references when the
# ARN is unknown until apply. It also fails early if the ARN names no usable key.
data "aws_kms_key" "this" {
  key_id = var.kms_key_arn
}

resource "aws_dynamodb_table" "this" {
  for_each = var.tables

  name         = "${var.name}-${each.key}"
  billing_mode = each.value.billing_mode
  hash_key     = each.value.hash_key
  range_key    = each.value.range_key
  # The starting capacity; Application Auto Scaling owns it afterwards (ignored below).
  read_capacity  = each.value.billing_mode == "PROVISIONED" ? each.value.read_capacity.min : null
  write_capacity = each.value.billing_mode == "PROVISIONED" ? each.value.write_capacity.min : null

  deletion_protection_enabled = each.value.deletion_protection

  attribute {
    name = each.value.hash_key
    type = each.value.hash_key_type
  }

  dynamic "attribute" {
    for_each = each.value.range_key == null ? [] : [each.value.range_key]

    content {
      name = attribute.value
      type = each.value.range_key_type
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = data.aws_kms_key.this.arn
  }

  dynamic "ttl" {
    for_each = each.value.ttl_attribute == null ? [] : [each.value.ttl_attribute]

    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    ignore_changes = [read_capacity, write_capacity]

    precondition {
      condition     = each.value.range_key != each.value.hash_key
      error_message = "The range_key of table \"${each.key}\" must differ from its hash_key."
    }
  }
}

################################################################################
# Auto scaling of provisioned tables
################################################################################

resource "aws_appautoscaling_target" "this" {
  for_each = local.scaling

  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this[each.value.table].name}"
  scalable_dimension = "dynamodb:table:${each.value.dimension}"
  min_capacity       = each.value.range.min
  max_capacity       = each.value.range.max

  tags = merge(var.tags, { Name = "${var.name}-${each.value.table}" })
}

resource "aws_appautoscaling_policy" "this" {
  for_each = local.scaling

  name               = "${var.name}-${replace(each.key, "/", "-")}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.this[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = each.value.target

    predefined_metric_specification {
      predefined_metric_type = each.value.metric
    }
  }
}
