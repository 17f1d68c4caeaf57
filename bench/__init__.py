"""PubHub benchmarks: figures and ratios to ceilings measured in the same run (not timed tests)."""
