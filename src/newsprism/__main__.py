"""`python -m newsprism` runs the CLI."""

from .cli import main

main()
