"""``python -m unisign_fla.evaluation``: see ``cli.py``."""
from .cli import main

main()
