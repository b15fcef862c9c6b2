"""Status flowing back from the Git host: PR state and check results to proposals and task status,
and CI JUnit artifacts to the folder `test_results` reads."""
