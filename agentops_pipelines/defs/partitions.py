"""One dynamic partition per spec, keyed by the spec's path relative to its source."""

import dagster as dg

SPEC_PARTITIONS_NAME = "spec"
spec_partitions = dg.DynamicPartitionsDefinition(name=SPEC_PARTITIONS_NAME)

# One dynamic partition per pull request of a linked repository: "<owner>/<name>#<number>".
PULL_PARTITIONS_NAME = "pull_request"
pull_partitions = dg.DynamicPartitionsDefinition(name=PULL_PARTITIONS_NAME)
