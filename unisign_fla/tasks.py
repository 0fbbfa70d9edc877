"""The tasks, all served as translation (docs/recipes.md): ``slt`` translates to a sentence,
``cslr`` to the gloss sequence, ``islr`` to the sign's class word. Datasets, scoring and
inference check task names against this one tuple."""
TASKS = ('slt', 'cslr', 'islr')
