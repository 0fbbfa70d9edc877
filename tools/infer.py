"""Translate videos with a trained model: no manifest, no reference.

    python tools/infer.py CONFIG clip.mp4 --checkpoint CHECKPOINT --language en
    python tools/infer.py EXPORTED_DIR videos/ --language zh --keypoints poses/ \\
        --json --out work_dirs/infer/results.jsonl              # a folder; resumes
    python tools/infer.py EXPORTED_DIR long.mp4 --language en --window 8 --stride 4

The model is a config with ``--checkpoint`` (the whole model, as for tools/test.py) or a
folder written by tools/export.py.

Keypoints come from a pose backend (``--backend rtmpose --backend-args '{...}'``, as in
tools/extract_pose.py), which then runs on every video, or, without ``--backend``, from keypoint
files (``.pkl``, ``.pose``, ``.npy``): ``--keypoints`` names a file (one video) or a folder
searched by each video's name, else the file named like the video beside it. The clips are
extracted into shards (``--work-dir`` keeps them; by default a temporary folder) and go through
the config's test pipeline one at a time, so a clip gets the text ``tools/test.py`` would give
it. Clips longer than the model's frame limit are cut to evenly spaced frames;
``--window/--stride`` (seconds, rounded to whole frames) translate long signing window by window
instead, with each window's times. One line per video (per window)
on stdout, ``--json`` for JSON lines; ``--out`` also appends them to a file (a video's records
in one write), and a re-run skips the videos translated there (errors are tried again).
"""
import argparse
import contextlib
import hashlib
import json
import os
import os.path as osp
import re
import sys
import tempfile

from mmengine.config import DictAction

from unisign_fla.apis import SignInferencer
from unisign_fla.extraction.job import ExtractionConfig, ExtractionJob, check_backend_args
from unisign_fla.extraction.progress import progress_bar
from unisign_fla.formats.keypoint_files import KEYPOINT_IMPORTERS
from unisign_fla.formats.manifest import LANGUAGES
from unisign_fla.formats.shard_index import ShardFormatError, load_split_index
from unisign_fla.registry import POSE_BACKENDS
from unisign_fla.tasks import TASKS

VIDEO_SUFFIXES = ('.mp4', '.avi', '.mov', '.mkv', '.webm')
SPLIT = 'test'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('model', help='a config file (with --checkpoint) or an exported folder')
    parser.add_argument('inputs', nargs='+', help='video files or folders of videos')
    parser.add_argument('--checkpoint', help='the whole model (as for tools/test.py), with a '
                        'config')
    parser.add_argument('--language', required=True, choices=LANGUAGES,
                        help='output language (fills the task prompt)')
    parser.add_argument('--task', default='slt', choices=TASKS)
    parser.add_argument('--keypoints', help='a keypoint file (one video) or a folder of them')
    parser.add_argument('--backend', choices=sorted(POSE_BACKENDS.module_dict),
                        help='pose backend for videos without keypoint files '
                        '(as tools/extract_pose.py --backend)')
    parser.add_argument('--backend-args', type=json.loads, default={})
    parser.add_argument('--crop-size', type=int, default=112,
                        help='hand crops, for models with the RGB branch')
    parser.add_argument('--num-beams', type=int, help='default: the config\'s')
    parser.add_argument('--max-new-tokens', type=int, help='default: the config\'s')
    parser.add_argument('--window', type=float, help='seconds per window (long signing)')
    parser.add_argument('--stride', type=float, help='seconds between windows (default: window)')
    parser.add_argument('--json', action='store_true', help='print JSON lines')
    parser.add_argument('--out', help='also append the results here (JSON lines); resumes')
    parser.add_argument('--work-dir', help='keep the extracted shards here')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    args = parser.parse_args(argv)
    if osp.isdir(args.model) == bool(args.checkpoint):
        parser.error('give a config file with --checkpoint, or an exported folder without it')
    if args.checkpoint and not osp.isfile(args.checkpoint):
        parser.error(f'--checkpoint {args.checkpoint}: no such file')
    if args.out and osp.isdir(args.out):
        parser.error(f'--out {args.out}: a folder; name a file (JSON lines)')
    if args.stride is not None and args.window is None:
        parser.error('--stride needs --window')
    if args.window is not None and (args.window <= 0 or (args.stride or args.window) <= 0):
        parser.error('--window and --stride must be positive')
    try:   # without --backend the keypoint files are read by the precomputed backend
        check_backend_args(args.backend or 'precomputed', args.backend_args)
    except ValueError as error:
        parser.error(str(error))
    return args


def find_videos(inputs):
    """Video files, in the order given (a folder's sorted by name)."""
    videos = []
    for path in inputs:
        if osp.isdir(path):
            videos += sorted(osp.join(path, name) for name in os.listdir(path)
                             if name.lower().endswith(VIDEO_SUFFIXES))
        elif osp.isfile(path):
            videos.append(path)
        else:
            raise SystemExit(f'error: {path}: no such video file or folder')
    if not videos:
        raise SystemExit(f'error: no video ({", ".join(VIDEO_SUFFIXES)}) in {", ".join(inputs)}')
    return [osp.abspath(v) for v in videos]


def keypoint_file(video, keypoints):
    """The keypoint file of ``video``: ``keypoints`` itself (a file), one named like the video
    in ``keypoints`` (a folder) or beside the video; None if there is none."""
    if keypoints and osp.isfile(keypoints):
        return osp.abspath(keypoints)
    stem = osp.splitext(osp.basename(video))[0]
    for folder in ([keypoints] if keypoints else []) + [osp.dirname(video)]:
        for suffix in KEYPOINT_IMPORTERS:
            if osp.isfile(osp.join(folder, stem + suffix)):
                return osp.abspath(osp.join(folder, stem + suffix))
    return None


def manifest_records(videos, args):
    """One manifest record per video, under an id the shard format accepts. With ``--backend``
    the backend estimates every video's keypoints; without, every video needs a keypoint file."""
    if args.keypoints and osp.isfile(args.keypoints) and len(videos) != 1:
        raise SystemExit('error: --keypoints names one file but there are '
                         f'{len(videos)} videos: name a folder')
    records = []
    for number, video in enumerate(videos):
        stem = re.sub(r'[^A-Za-z0-9_-]', '_', osp.splitext(osp.basename(video))[0])
        record = dict(id=f'{number:06d}_{stem}'[:120], dataset='infer', split=SPLIT, video=video,
                      language=args.language)
        if not args.backend:
            found = keypoint_file(video, args.keypoints)
            if not found:
                raise SystemExit(f'error: {video}: no keypoint file (--keypoints, or one named '
                                 f'like the video beside it) and no --backend to estimate them')
            record['keypoints'] = found
        records.append(record)
    return records


def extract(records, work_dir, args, needs_crops):
    """Shards of the clips under ``work_dir``; id -> reason for the clips that failed."""
    # Shards named after what they hold (clips, keypoints, backend, crops): a --work-dir reused
    # for another run never passes its shards off as this one's.
    settings = dict(records=records, backend=args.backend, backend_args=args.backend_args,
                    crops=needs_crops and args.crop_size)
    digest = hashlib.sha1(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:12]
    for record in records:
        record['dataset'] = f'infer_{digest}'
    manifest = osp.join(work_dir, 'manifest.jsonl')
    with open(manifest, 'w', encoding='utf-8') as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + '\n' for r in records)
    ExtractionJob(ExtractionConfig(
        manifest=manifest, video_root=work_dir, out=osp.join(work_dir, 'shards'),
        backend=args.backend or 'precomputed', backend_args=args.backend_args,
        crops=needs_crops, crop_size=args.crop_size, max_failure_rate=1.0, threads=1,
        require_target=False, allow_outside_root=True)).run()   # the user named these files
    failures = {}
    failures_file = osp.join(work_dir, 'shards', 'failures.jsonl')
    if osp.exists(failures_file):
        with open(failures_file, encoding='utf-8') as f:
            for row in map(json.loads, f):
                failures[row.get('id')] = row.get('reason', 'failed')
    return failures


def done_videos(out):
    """Videos translated by an earlier run into ``out``: records with a text (an error is tried
    again; a line a killed run left half-written is ignored)."""
    if not out or not osp.exists(out):
        return set()
    done = set()
    with open(out, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                print(f'{out}:{number}: not a complete JSON line, ignored', file=sys.stderr)
                continue
            if isinstance(record, dict) and 'text' in record:
                done.add(record.get('video'))
    return done


def end_torn_line(path):
    """A killed run may leave a last line without its newline: end it, so new records start
    on a line of their own."""
    if osp.exists(path) and osp.getsize(path):
        with open(path, 'rb+') as f:
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b'\n':
                f.write(b'\n')


def emit(results, args, out_file):
    """Print a video's records (one, or one per window) and append them to ``out_file`` in one
    write, so a killed run leaves a video either recorded or not."""
    for result in results:
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            times = f'\t{result["start"]:.2f}-{result["end"]:.2f}' if 'start' in result else ''
            text = result['text'] if 'text' in result else f'error: {result["error"]}'
            print(f'{result["video"]}{times}\t{" ".join(text.split())}', flush=True)
    if out_file:
        out_file.write(''.join(json.dumps(r, ensure_ascii=False) + '\n' for r in results))
        out_file.flush()


def translate_all(inferencer, records, shards_dir, failures, args, out_file):
    try:
        samples = {s.id: s for s in load_split_index(shards_dir, records[0]['dataset'], SPLIT)}
    except ShardFormatError:   # no index: every clip failed
        samples = {}
    # With the translations going to a file or pipe and a terminal watching, the bar is redrawn
    # in place; otherwise each video gets a line, which logs keep readable.
    redraw = sys.stderr.isatty() and not sys.stdout.isatty()
    total = len(records)
    for number, record in enumerate(records, 1):
        line = f'{progress_bar(number - 1, total)} [{number}/{total}] {record["video"]}'
        print(('\r\033[K' + line) if redraw else line, end='' if redraw else '\n',
              file=sys.stderr, flush=True)
        sample = samples.get(record['id'])
        if sample is None:
            emit([dict(video=record['video'],
                       error=failures.get(record['id'], 'not extracted'))], args, out_file)
        elif args.window is None:
            text = inferencer.translate(sample, args.language, args.task)
            emit([dict(video=record['video'], text=text)], args, out_file)
        else:
            emit([dict(video=record['video'], start=start, end=end, text=text)
                  for start, end, text in inferencer.translate_windows(
                      sample, args.language, args.task, args.window, args.stride)],
                 args, out_file)
    if redraw and records:
        print(f'\r\033[K{progress_bar(1, 1)} {len(records)} videos', file=sys.stderr, flush=True)


def main(argv=None):
    args = parse_args(argv)
    try:
        run(args)
    except (ValueError, OSError, ShardFormatError) as error:
        raise SystemExit(f'error: {error}') from error


def run(args):
    videos = find_videos(args.inputs)
    records = manifest_records(videos, args)   # ids stable across re-runs (--work-dir shards)
    done = done_videos(args.out)
    todo = [r for r in records if r['video'] not in done]
    if not todo:
        print(f'every video is already in {args.out}', file=sys.stderr)
        return
    generation = {k: v for k, v in (('num_beams', args.num_beams),
                                    ('max_new_tokens', args.max_new_tokens)) if v is not None}
    inferencer = SignInferencer(args.model, args.checkpoint, args.cfg_options, generation,
                                args.device)
    if args.window is not None and inferencer.reads_video:
        raise ValueError(f'{args.model}: --window needs a model whose crops come from the '
                         f'shards; this one decodes the video (DecodeClipFrames)')
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        end_torn_line(args.out)
    with tempfile.TemporaryDirectory(prefix='unisign_infer_') as scratch, \
            open(args.out, 'a', encoding='utf-8') if args.out else \
            contextlib.nullcontext() as out_file:
        work_dir = args.work_dir or scratch
        os.makedirs(work_dir, exist_ok=True)
        failures = extract(todo, work_dir, args, inferencer.needs_crops)
        translate_all(inferencer, todo, osp.join(work_dir, 'shards'), failures, args, out_file)


if __name__ == '__main__':
    main()
