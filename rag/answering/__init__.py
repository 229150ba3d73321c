"""Answers, summaries and comparisons whose every sentence carries a verified citation."""
