"""One dynamic partition per spec, keyed by the spec's path relative to its source."""

import dagster as dg

SPEC_PARTITIONS_NAME = "spec"
spec_partitions = dg.DynamicPartitionsDefinition(name=SPEC_PARTITIONS_NAME)
