"""QA domain: test evidence (JUnit), sandboxed test runs and requirement traceability."""
