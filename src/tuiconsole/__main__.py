"""`python -m tuiconsole` = the `tuiconsole` command."""

from tuiconsole.cli import main

main()
