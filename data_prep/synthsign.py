"""Generate the SynthSign data set (docs/synthsign.md).

    python data_prep/synthsign.py --out data/synthsign --size demo --workers 2
"""
import argparse
import sys

from unisign_fla.synthsign import PRESETS, generate_dataset


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument('--size', default='tiny', choices=sorted(PRESETS))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--workers', type=int, default=2)
    args = parser.parse_args(argv)
    summary = generate_dataset(args.out, size=args.size, seed=args.seed, workers=args.workers)
    print(f'SynthSign size={args.size} seed={args.seed} -> {args.out}')
    print(f'{"split":6} {"sentences":>9} {"islr":>6} {"frames":>8}')
    for split, c in summary['counts'].items():
        print(f'{split:6} {c["sentences"]:9d} {c["islr"]:6d} {c["frames"]:8d}')
    rate = summary['frames_per_second']
    print(f'vocabulary {len(summary["vocabulary"])} signs, {summary["total_frames"]} frames, '
          f'{summary["seconds"]:.1f} s'
          + (f' ({rate:.0f} frames/s)' if rate else ' (already complete)'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
