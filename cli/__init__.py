"""The `qianfa` admin command line."""
