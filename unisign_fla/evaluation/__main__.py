"""``python -m unisign_fla.evaluation``: see ``cli.py``."""
from unisign_fla.evaluation.cli import main

main()
