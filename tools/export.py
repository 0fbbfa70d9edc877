"""Export a trained model as one self-contained folder that tools/infer.py loads.

    python tools/export.py configs/synthsign/fla_stage2_synthsign.py \\
        work_dirs/fla_stage2_synthsign/iter_450.pth --out exported/quickstart
    python tools/infer.py exported/quickstart clip.mp4 --language en

The folder holds the resolved config, the weights outside the language model (safetensors), the
language model in Hugging Face's format with its tokenizer (LoRA merged into its weights, or
kept as a peft adapter with ``--keep-lora``) and a model card; no optimizer state, stage-1 file
or original LM folder (unisign_fla/apis/export.py).
"""
import argparse
import json

from mmengine.config import DictAction

from unisign_fla.apis import export_model


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config', help='the model\'s config file')
    parser.add_argument('checkpoint', help='the whole model (as for tools/test.py)')
    parser.add_argument('--out', required=True, help='the folder to write (must not exist)')
    parser.add_argument('--keep-lora', action='store_true',
                        help='save LoRA as a peft adapter instead of merging it')
    parser.add_argument('--notes', default='', help='text for the model card (data, training)')
    parser.add_argument('--metrics', help='a metrics.json of tools/test.py for the model card')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        metrics = None
        if args.metrics:
            with open(args.metrics, encoding='utf-8') as f:
                metrics = json.load(f)
        written = export_model(args.config, args.checkpoint, args.out, args.cfg_options,
                               keep_lora=args.keep_lora, card=args.notes, metrics=metrics)
    except (FileExistsError, FileNotFoundError, ValueError) as error:
        raise SystemExit(f'error: {error}') from error
    print(json.dumps({'out': args.out, **written}))
    return written


if __name__ == '__main__':
    main()
