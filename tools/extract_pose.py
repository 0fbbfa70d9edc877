"""Extract keypoints and hand crops of every clip in a manifest into webdataset shards.

    python tools/extract_pose.py --manifest M.jsonl --video-root DIR --out DIR \
        --backend precomputed [--crop-size 112] [--num-shards W --shard-index I]

Re-running the same command resumes: finished shards are skipped, and shards in which every clip
failed (a wrong --video-root, say) are redone; --retry-failed also redoes shards with some failed
clips. Exit status 1 when the share of failed clips exceeds --max-failure-rate (failures are
listed in OUT/failures.jsonl, rewritten by each run), 2 for a bad argument.
"""
import argparse
import json
import logging
import os
import sys

from unisign_fla.extraction.job import (
    ExtractionConfig,
    ExtractionJob,
    check_backend_args,
    resolve_worker,
)
from unisign_fla.keypoints import HAND_SCORE_THRESHOLD
from unisign_fla.registry import POSE_BACKENDS


class OneLineErrors(argparse.ArgumentParser):
    """Errors as one line: the usage of a tool with many options would bury the message."""

    def error(self, message):
        self.exit(2, f'{self.prog}: error: {message} (--help lists the options)\n')


def parse_args(argv=None) -> argparse.Namespace:
    parser = OneLineErrors(description=__doc__,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--manifest', required=True, help='manifest JSONL (docs/formats.md)')
    parser.add_argument('--video-root', required=True,
                        help='folder that manifest video / keypoints paths are relative to')
    parser.add_argument('--out', required=True, help='output folder for shards and indices')
    parser.add_argument('--backend', default='precomputed',
                        choices=sorted(POSE_BACKENDS.module_dict), help='pose backend')
    parser.add_argument('--backend-args', type=json.loads, default={},
                        help='JSON object of keyword arguments for the backend')
    parser.add_argument('--crop-size', type=int, default=112, help='hand crop side in pixels')
    parser.add_argument('--crop-threshold', type=float, default=HAND_SCORE_THRESHOLD,
                        help='mean hand score above which a frame gets a hand crop')
    parser.add_argument('--no-crops', action='store_true', help='store keypoints only')
    parser.add_argument('--samples-per-shard', type=int, default=256)
    parser.add_argument('--num-shards', type=int, default=None,
                        help='number of workers (default: WORLD_SIZE or SLURM_NTASKS, else 1)')
    parser.add_argument('--shard-index', type=int, default=None,
                        help='this worker (default: RANK or SLURM_PROCID, else 0)')
    parser.add_argument('--max-failure-rate', type=float, default=0.05)
    parser.add_argument('--fps', type=float, default=25.0,
                        help='frame rate of clips given as folders of images')
    parser.add_argument('--threads', type=int, default=2,
                        help='clips decoded and clips cropped concurrently')
    parser.add_argument('--pose-workers', type=int, default=None,
                        help='pose backend instances side by side (default: one per thread for '
                             'a model on the CPU, else 1)')
    parser.add_argument('--jpeg-quality', type=int, default=90)
    parser.add_argument('--max-clip-gib', type=float, default=8.0,
                        help='clips whose decoded frames would exceed this many GiB fail alone '
                             '(instead of the worker running out of memory); 0: no limit. Up '
                             'to --threads + pose workers clips are in memory at once')
    parser.add_argument('--allow-outside-root', action='store_true',
                        help='read video / keypoints paths that lead outside --video-root '
                             '(absolute, "..", symlinks), e.g. the absolute keypoint paths '
                             'data_prep/convert.py --poses writes; without it such clips fail '
                             'with the reason in failures.jsonl. Only for a manifest you trust')
    parser.add_argument('--retry-failed', action='store_true',
                        help='also redo finished shards that list failed clips (after fixing '
                             'what made them fail); shards where every clip failed are redone '
                             'anyway')
    parser.add_argument('--merge-index', action='store_true',
                        help='only (re)write the split indices and failures.jsonl')
    args = parser.parse_args(argv)
    check_args(parser, args)
    return args


def check_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse, with one line and before anything is written, what would make every clip fail or
    the job stop with a traceback."""
    if not os.path.isfile(args.manifest):
        parser.error(f'--manifest {args.manifest}: no such file')
    if not os.path.isdir(args.video_root):
        parser.error(f'--video-root {args.video_root}: no such folder')
    for option, value in (('--threads', args.threads), ('--pose-workers', args.pose_workers)):
        if value is not None and value < 1:
            parser.error(f'{option} must be >= 1, got {value}')
    try:
        resolve_worker(args.num_shards, args.shard_index)
        check_backend_args(args.backend, args.backend_args)
    except ValueError as error:
        parser.error(str(error))


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(message)s')
    cfg = ExtractionConfig(
        manifest=args.manifest, video_root=args.video_root, out=args.out, backend=args.backend,
        backend_args=args.backend_args, crops=not args.no_crops, crop_size=args.crop_size,
        crop_threshold=args.crop_threshold, samples_per_shard=args.samples_per_shard,
        num_workers=args.num_shards, worker_index=args.shard_index,
        max_failure_rate=args.max_failure_rate, folder_fps=args.fps, threads=args.threads,
        pose_workers=args.pose_workers,
        jpeg_quality=args.jpeg_quality, max_clip_gib=args.max_clip_gib or None,
        allow_outside_root=args.allow_outside_root, retry_failed=args.retry_failed)
    job = ExtractionJob(cfg)
    if args.merge_index:
        written = job.write_indices(only_complete=False)
        print(f'wrote split indices: {", ".join(written) or "none"}')
        return 0
    summary = job.run()
    print(f'clips {summary.clips}  frames {summary.frames}  failures {summary.failures}/'
          f'{summary.assigned} ({100 * summary.failure_rate:.1f}%)  shards written '
          f'{summary.shards_written} skipped {summary.shards_skipped}  '
          f'{summary.frames_per_second:.0f} frames/s')
    if summary.failure_rate > cfg.max_failure_rate:
        print(f'failure rate {summary.failure_rate:.3f} exceeds --max-failure-rate '
              f'{cfg.max_failure_rate}; see {os.path.join(cfg.out, "failures.jsonl")}',
              file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
