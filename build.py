#!/usr/bin/env python3
"""Build the Fab@brest Open Badges site: see `python build.py --help`."""

from generator.cli.commands import run

if __name__ == "__main__":
    run()
