"""Small spec texts for pipeline tests (formats are covered in depth by tests/specs)."""

OPENSPEC = """# Exports Specification

## Purpose
CSV exports of orders.

## Requirements
### Requirement: Export orders as CSV
The system SHALL export the orders of a date range as CSV.

#### Scenario: Range with orders
- **WHEN** a user exports 2026-01-01 to 2026-01-31
- **THEN** the file SHALL contain one row per order

### Requirement: Limit export size
The system SHALL refuse exports above 1,000,000 rows.

#### Scenario: Too many rows
- **WHEN** the range holds 1,000,001 orders
- **THEN** the export SHALL fail with a message naming the limit
"""

PLAIN = """# Notifications

Contact ops-team@example.com for questions.

## Requirements
- R1: The service shall send an email within 60 seconds of an order shipping.
- R2: The service must retry a failed delivery 3 times.
"""
