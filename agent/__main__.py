"""`python -m agent` runs the `reconcile` command."""

from agent.cli import main

main()
