"""Convert another toolkit's checkpoint into one this toolkit's configs load.

    python tools/convert_checkpoint.py unisign CSL_DAILY_POSE.pth --out work_dirs/unisign.pth
    python tools/test.py configs/unisign/unisign_pose_slt.py work_dirs/unisign.pth

``unisign``: a Uni-Sign checkpoint (``{'model': state_dict}``) for
``configs/unisign/unisign_pose_slt.py`` (pose-only) or ``unisign_rgb_pose_slt.py`` (RGB-pose; the
output says whether its PGF gate is closed for good); the key mapping is in docs/encoder.md, the
configs of each released checkpoint in docs/unisign_checkpoints.md. ``--pose-only`` leaves an
RGB-pose checkpoint's RGB branch out, for the pose-only configs.
"""
import argparse

from unisign_fla.models.unisign_conversion import convert_unisign_checkpoint

CONVERTERS = {'unisign': convert_unisign_checkpoint}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('source', choices=sorted(CONVERTERS), help='whose checkpoint it is')
    parser.add_argument('checkpoint', help='the checkpoint to convert')
    parser.add_argument('--out', required=True, help='where the converted checkpoint goes')
    parser.add_argument('--pose-only', action='store_true',
                        help="leave an RGB-pose checkpoint's RGB branch out (pose-only configs)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        report = CONVERTERS[args.source](args.checkpoint, args.out, pose_only=args.pose_only)
    except (ValueError, FileNotFoundError) as error:
        raise SystemExit(f'error: {error}') from error
    print(f'{args.checkpoint}: converted {report.converted} tensors '
          f'({report.upcast} upcast to float32); merged {len(report.deduplicated)} copies of '
          f'weights Uni-Sign shares between the hands; dropped {len(report.dropped)} unused '
          f'({", ".join(report.dropped) or "none"}) -> {args.out}')
    if report.gate_closed is not None:
        print(f'RGB branch: {report.rgb} tensors; PGF gate ' + (
            'closed for good (fusion_gate.2 weight all zero, bias <= 0): the RGB branch changes '
            'nothing, the pose-only model gives the same outputs (--pose-only converts it for '
            'the pose-only configs)' if report.gate_closed else
            'open: the RGB branch changes the outputs (configs/unisign/unisign_rgb_pose_slt.py)'))
    if report.rgb_left_out:
        print(f'--pose-only: left out the RGB branch ({report.rgb_left_out} tensors)' + (
            '' if report.gate_closed else '; its gate is open, so the pose-only model\'s '
            'outputs differ from the RGB-pose model\'s'))
    return report


if __name__ == '__main__':
    main()
