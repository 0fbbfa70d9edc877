"""Import the repository's scripts (``tools/``, ``data_prep/``, ``benchmarks/``: files, not a
package) to call their functions, without touching ``sys.path``."""
import importlib.util
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_script(folder: str, name: str):
    """A fresh module object of ``<folder>/<name>.py``."""
    spec = importlib.util.spec_from_file_location(f'{folder}_{name}',
                                                  os.path.join(REPO, folder, f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_tool(name: str):
    """``tools/<name>.py``, to call its ``main(argv)``."""
    return load_script('tools', name)
