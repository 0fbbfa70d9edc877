"""Convert a benchmark's official files (or Uni-Sign / GFSLT-VLP label files) to manifests.

    python data_prep/convert.py DATASET --src PATH --out DIR [--poses DIR] [--option KEY=VALUE]

Writes DIR/{train,dev,test}.jsonl (docs/formats.md) and prints per-split counts and every quirk
handled; the layout at --src is recognised, not named. With --poses, each clip is linked to its
keypoint file under that folder (for tools/extract_pose.py --backend precomputed); clips without
one are listed in DIR/without_keypoints.txt. Datasets and their layouts: docs/datasets.md.
"""
import argparse
import os
import sys

from unisign_fla.converters import ConversionError, convert_dataset
from unisign_fla.formats.manifest import ManifestError
from unisign_fla.registry import DATASET_CONVERTERS


def parse_options(pairs):
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition('=')
        if not sep:
            raise SystemExit(f'--option expects KEY=VALUE, got {pair!r}')
        options[key] = value
    return options


def main(argv=None) -> int:
    DATASET_CONVERTERS.import_from_location()
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument('dataset', choices=sorted(DATASET_CONVERTERS.module_dict))
    parser.add_argument('--src', required=True, help='the release folder or label file(s)')
    parser.add_argument('--out', required=True, help='where {train,dev,test}.jsonl go')
    parser.add_argument('--poses', help='folder of keypoint files (.pkl, .pose, .npy) to link')
    parser.add_argument('--option', action='append', default=[], metavar='KEY=VALUE',
                        help='converter option, e.g. subset=100 for wlasl / msasl')
    args = parser.parse_args(argv)
    try:
        summary = convert_dataset(args.dataset, args.src, args.out, poses=args.poses,
                                  **parse_options(args.option))
    except (ConversionError, ManifestError, OSError) as error:
        print(f'error: {error}', file=sys.stderr)
        return 2
    for note in summary.notes:
        print(f'note: {note}')
    print(f'{args.dataset} -> {args.out}')
    for split, count in summary.counts.items():
        print(f'{split:5} {count:7d}')
    if args.poses:
        path = os.path.join(args.out, 'without_keypoints.txt')
        with open(path, 'w', encoding='utf-8') as f:
            f.writelines(f'{clip_id}\n' for clip_id in summary.without_keypoints)
        linked = sum(summary.counts.values()) - len(summary.without_keypoints)
        print(f'keypoint files linked for {linked} clips; {len(summary.without_keypoints)} '
              f'without one (listed in {path})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
