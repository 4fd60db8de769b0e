"""Outputs: terminal text, JSON/Markdown/HTML exports."""
