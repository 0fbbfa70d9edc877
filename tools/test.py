"""Evaluate a checkpoint on the config's test set: predictions file + metrics JSON.

    python tools/test.py CONFIG CHECKPOINT [--out-dir DIR] [--cfg-options ...]

Writes DIR/predictions.jsonl (id, hypothesis, reference, language, task) and DIR/metrics.json
(BLEU-1..4, both ROUGE-L conventions, WER or accuracy for recognition sets, the sacrebleu
signature and a record of the conventions used: ``unisign_fla.evaluation.score``), and prints
the metrics as one JSON line.

The checkpoint must match the config's model exactly (a missing or unexpected key is an error
that names it), and it holds the whole model: the stage-1 file a stage-2 config names as
``model.encoder_checkpoint`` (or a fine-tuning recipe's ``model.init_checkpoint``) is not read.
"""
import argparse
import json
import os.path as osp

from mmengine.config import DictAction
from mmengine.runner import Runner

from unisign_fla.engine import load_model_weights, load_run_config, prepare_cpu_distributed


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test a unisign_fla checkpoint')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file (.pth from tools/train.py)')
    parser.add_argument('--out-dir', help='where predictions.jsonl and metrics.json go '
                        '(default: <work dir>/test)')
    parser.add_argument('--work-dir', help='work dir for logs (default: work_dirs/<config>)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'error: checkpoint file not found: {args.checkpoint}')
    cfg = load_run_config(args.config, args.cfg_options, args.launcher, args.work_dir)
    cfg.load_from, cfg.resume = None, False  # loaded strictly below, not by the Runner
    for earlier_stage in ('encoder_checkpoint', 'init_checkpoint'):
        if earlier_stage in cfg.model:
            cfg.model[earlier_stage] = None  # the tested checkpoint holds the whole model
    out_dir = args.out_dir or osp.join(cfg.work_dir, 'test')
    evaluators = (cfg.test_evaluator if isinstance(cfg.test_evaluator, list)
                  else [cfg.test_evaluator])
    for evaluator in evaluators:
        evaluator['output_dir'] = out_dir
    prepare_cpu_distributed(cfg)
    runner = Runner.from_cfg(cfg)
    model = runner.model.module if hasattr(runner.model, 'module') else runner.model
    try:
        load_model_weights(model, args.checkpoint)
    except ValueError as error:
        raise SystemExit(f'error: {error}') from error
    metrics = runner.test()
    print(json.dumps({'checkpoint': args.checkpoint, 'out_dir': out_dir, **metrics}))
    return metrics


if __name__ == '__main__':
    main()
