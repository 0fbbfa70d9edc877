"""Look at one clip: its pose overlay, its crop choice, the PGF gate of a model on it.

    python tools/visualize.py overlay SHARDS --dataset D --split S --id CLIP \\
        --video-root VIDEOS --out overlay.mp4            # or --sheet 8 --out overlay.png
    python tools/visualize.py clip SHARDS --dataset D --split S --id CLIP --out clip.png
    python tools/visualize.py gate SHARDS --dataset D --split S --id CLIP \\
        --model CONFIG --checkpoint CKPT --out gate.png   # or --model EXPORTED_DIR

Every output is one file at ``--out`` (docs/visualization.md shows each); ``--index N`` picks the
N-th clip of the split instead of ``--id``. Crops are chosen as evaluation chooses them
(``ScoreAwareCropSampling(fraction, random=False)``); the gate uses the model's own pipeline.
"""
import argparse
import os

from mmengine.config import DictAction

from unisign_fla.formats.shard_index import ShardFormatError
from unisign_fla.formats.shards import read_sample
from unisign_fla.tasks import TASKS
from unisign_fla.visualization import (
    choose_crops,
    clip_figure,
    clip_frames,
    clip_gates,
    contact_sheet,
    gate_figure,
    render_overlay,
    select_clip,
    sheet_rows,
    write_mp4,
    write_png,
)

SUFFIXES = {'overlay': '.mp4', 'sheet': '.png', 'clip': '.png', 'gate': '.png'}


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f'{value}: must be at least 1')
    return value


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    commands = parser.add_subparsers(dest='command', required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('shards', help='the shard folder (tools/extract_pose.py --out)')
    common.add_argument('--dataset', help='needed when the folder holds several data sets')
    common.add_argument('--split', help='needed when the folder holds several splits')
    which = common.add_mutually_exclusive_group()
    which.add_argument('--id', help='the clip id')
    which.add_argument('--index', type=int, help='the N-th clip of the split (default 0)')
    common.add_argument('--out', required=True, help='the file to write')
    sampling = argparse.ArgumentParser(add_help=False)
    sampling.add_argument('--fraction', type=float, default=0.1,
                          help='share of candidate frames given a crop (Uni-Sign: 0.1)')
    sampling.add_argument('--score-threshold', type=float, default=0.3,
                          help='joints below it are drawn hollow (overlay)')

    overlay = commands.add_parser('overlay', parents=[common, sampling],
                                  help='video with keypoints and crop marks (.mp4, or .png)')
    overlay.add_argument('--video-root', help='the extraction\'s --video-root (else a blank '
                         'canvas)')
    overlay.add_argument('--sheet', type=positive_int, metavar='N',
                         help='write a PNG contact sheet of N frames instead of the mp4')
    overlay.add_argument('--columns', type=positive_int, default=4, help='tiles per sheet row')
    overlay.add_argument('--tile-width', type=positive_int, default=320,
                         help='sheet tile width (px)')
    commands.add_parser('clip', parents=[common, sampling],
                        help='hand scores, candidate and chosen crop frames, crops (.png)')
    gate = commands.add_parser('gate', parents=[common],
                               help='PGF gate per hand joint and crop frame (.png)')
    gate.add_argument('--model', required=True, help='a config (with --checkpoint) or a folder '
                      'written by tools/export.py')
    gate.add_argument('--checkpoint', help='the whole model, as for tools/test.py')
    gate.add_argument('--language', help='default: the clip\'s')
    gate.add_argument('--task', default='slt', choices=TASKS)
    gate.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    return parser.parse_args(argv)


def _check_out(args) -> None:
    kind = 'sheet' if getattr(args, 'sheet', None) is not None else args.command
    if not args.out.lower().endswith(SUFFIXES[kind]):
        raise ValueError(f'--out {args.out}: {kind} writes a {SUFFIXES[kind]} file')
    if args.command == 'gate' and args.checkpoint and not os.path.isfile(args.checkpoint):
        raise ValueError(f'checkpoint file not found: {args.checkpoint}')


def _overlay(args, sample, data) -> str:
    frames, source = clip_frames(data, args.video_root)
    choice = choose_crops(data, args.fraction)
    drawn = render_overlay(data, frames, choice, args.score_threshold)
    if args.sheet:
        chosen = [row for hand in choice.values() for row in hand.chosen]
        write_png(contact_sheet(drawn, sheet_rows(len(drawn), chosen, args.sheet), args.columns,
                                args.tile_width), args.out)
    else:
        write_mp4(drawn, args.out, float(data['meta'].get('fps') or 25.0))
    return f'{len(drawn)} frames from {source}'


def _clip(args, sample, data) -> str:
    choice = choose_crops(data, args.fraction)
    text = data['meta'].get('text') or ' '.join(data['meta'].get('gloss') or [])
    clip_figure(choice, f'{sample.id}: "{text}"  (crops: fraction {args.fraction}, '
                        f'evaluation mode)', path=args.out)
    return ', '.join(f'{hand}: {len(c.candidates)} candidates, {len(c.chosen)} chosen'
                     for hand, c in choice.items())


def _short(text: str, limit: int = 90) -> str:
    """A text cut to fit a figure title (an early model's output can repeat a word forever)."""
    return text if len(text) <= limit else text[:limit - 3].rstrip() + '...'


def _gate(args, sample, data) -> str:
    from unisign_fla.apis import SignInferencer  # builds models: only this command needs it
    inferencer = SignInferencer(args.model, args.checkpoint, args.cfg_options)
    language = args.language or data['meta'].get('language') or 'en'
    prediction, gates = clip_gates(inferencer, sample, language, args.task)
    reference = data['meta'].get('text') or ' '.join(data['meta'].get('gloss') or [])
    gate_figure(gates, f'{sample.id}  reference: "{_short(reference)}"\n'
                       f'prediction: "{_short(prediction)}"', path=args.out)
    return ', '.join(f'{hand}: {len(g.frames)} crop frames' for hand, g in gates.items())


def main(argv=None) -> str:
    args = parse_args(argv)
    try:
        _check_out(args)
        sample = select_clip(args.shards, args.dataset, args.split, args.id, args.index)
        data = read_sample(sample, with_crops=True)
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)   # found: write
        summary = {'overlay': _overlay, 'clip': _clip, 'gate': _gate}[args.command](
            args, sample, data)
    except (ValueError, OSError, ShardFormatError) as error:
        raise SystemExit(f'error: {error}') from error
    print(f'{args.out}: {sample.id}, {summary}')
    return args.out


if __name__ == '__main__':
    main()
