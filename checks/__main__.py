"""``python -m mathlint``: the command line."""

from .app.cli import run

if __name__ == "__main__":
    run()
