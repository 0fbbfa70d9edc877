"""Reading back what mmengine logged: ``vis_data/scalars.json`` under a run's work dir."""
import json
import os


def logged_scalars(work_dir: str, key: str) -> list[tuple[int, float]]:
    """``(iteration, value)`` of every logged record that has ``key`` (e.g. ``'loss'``,
    ``'pgf_gate'``, ``'translation/bleu4'``), in file order, over every run in ``work_dir``
    oldest first (mmengine names each run's folder by its start time, ``20261122_204307``)."""
    found = []
    for dirpath, dirnames, files in os.walk(work_dir):
        dirnames.sort()
        if 'scalars.json' in files and os.path.basename(dirpath) == 'vis_data':
            with open(os.path.join(dirpath, 'scalars.json'), encoding='utf-8') as f:
                for line in f:
                    record = json.loads(line)
                    if key in record:
                        found.append((record.get('iter', record.get('step')), record[key]))
    return found
