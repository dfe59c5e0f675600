"""Glue job: the raw zone's crawled tables, deduplicated, as Parquet in the curated zone.

Arguments (set by the data module): --raw_database, --curated_database,
--curated_path; --source_table names the raw table (default: every table of the
raw database). Job bookmarks make each run read only what arrived since the last.
"""

import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["JOB_NAME", "raw_database", "curated_database", "curated_path"])
glue = GlueContext(SparkContext.getOrCreate())
job = Job(glue)
job.init(args["JOB_NAME"], args)

catalog = glue.spark_session.catalog
tables = [table.name for table in catalog.listTables(args["raw_database"])]
if "--source_table" in sys.argv:
    tables = [getResolvedOptions(sys.argv, ["source_table"])["source_table"]]

for table in tables:
    frame = glue.create_dynamic_frame.from_catalog(
        database=args["raw_database"], table_name=table, transformation_ctx=f"read_{table}"
    )
    if frame.count() == 0:
        continue
    curated = frame.toDF().dropDuplicates()
    sink = glue.getSink(
        connection_type="s3",
        path=f"{args['curated_path']}{table}/",
        enableUpdateCatalog=True,
        updateBehavior="UPDATE_IN_DATABASE",
        partitionKeys=[key for key in ("year", "month", "day") if key in curated.columns],
        transformation_ctx=f"write_{table}",
    )
    sink.setFormat("glueparquet")
    sink.setCatalogInfo(catalogDatabase=args["curated_database"], catalogTableName=table)
    sink.writeFrame(glue.create_dynamic_frame.fromDF(curated, glue, f"curated_{table}"))

job.commit()
