"""Print the merged config a run would use, after ``_base_`` inheritance and ``--cfg-options``.

    python tools/print_config.py configs/synthsign/fla_stage1_synthsign.py \
        --cfg-options train_cfg.max_iters=100

Options are checked as tools/train.py checks them: an unknown or ignored key is an error that
names it and the closest existing key, and a new ``train_cfg.max_iters`` (or ``max_epochs``) also
moves the scheduler milestones and the validation / checkpoint intervals sized from it.
"""
import argparse

from mmengine.config import DictAction

from unisign_fla.engine import load_run_config


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Print a unisign_fla config, fully merged')
    parser.add_argument('config', help='config file (mmengine Python config)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='override config keys, e.g. train_cfg.max_iters=10')
    return parser.parse_args(argv)


def main(argv=None) -> str:
    args = parse_args(argv)
    text = load_run_config(args.config, args.cfg_options).pretty_text
    print(text)
    return text


if __name__ == '__main__':
    main()
