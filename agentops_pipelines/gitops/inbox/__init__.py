"""Inbound GitHub deliveries: signature check, bounded body reading, event models, the durable
`webhook_inbox` (write path and exactly-once cursor reads for sensors)."""
