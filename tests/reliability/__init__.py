"""The reliability suite (issue 9): nothing is lost, nothing leaks."""
