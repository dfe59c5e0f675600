output "raw_bucket_id" {
  description = "Name of the raw zone's bucket: producers write under landing/, Firehose under streams/<key>/."
  value       = module.bucket["raw"].id
}

output "curated_bucket_id" {
  description = "Name of the curated zone's bucket."
  value       = module.bucket["curated"].id
}

output "work_bucket_id" {
  description = "Name of the bucket of job scripts (scripts/), Glue temporary files (tmp/) and Athena results (athena/)."
  value       = module.bucket["work"].id
}

output "database_names" {
  description = "Glue catalog databases, by zone (raw, curated)."
  value       = { for zone, database in aws_glue_catalog_database.this : zone => database.name }
}

output "crawler_name" {
  description = "Name of the raw zone's Glue crawler."
  value       = aws_glue_crawler.raw.name
}

output "job_names" {
  description = "Names of the Glue jobs (the JobName dimension of their metrics), by key."
  value       = { for key, job in aws_glue_job.this : key => job.name }
}

output "athena_workgroup_name" {
  description = "Name of the Athena workgroup (the WorkGroup dimension of its metrics)."
  value       = aws_athena_workgroup.this.name
}

output "stream_names" {
  description = "Names of the Kinesis data streams (the StreamName dimension of their metrics), by key."
  value       = { for key, stream in aws_kinesis_stream.this : key => stream.name }
}

output "stream_arns" {
  description = "ARNs of the Kinesis data streams, by key: grant producers kinesis:PutRecord(s) on them (and kms:GenerateDataKey on the data key)."
  value       = { for key, stream in aws_kinesis_stream.this : key => stream.arn }
}

output "delivery_stream_names" {
  description = "Names of the Firehose delivery streams (the DeliveryStreamName dimension of their metrics), by stream key."
  value       = { for key, stream in aws_kinesis_firehose_delivery_stream.this : key => stream.name }
}

output "etl_function_name" {
  description = "Name of the ETL Lambda function (the FunctionName dimension of its metrics)."
  value       = module.etl.function_names["etl"]
}
