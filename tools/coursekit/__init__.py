"""Site-level Python-Markdown extensions for the course (not snippet-specific)."""
