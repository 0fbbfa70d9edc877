"""Extraction throughput: decoding, the pose model, the full pipeline and a naive per-frame loop.

    python benchmarks/extract.py [--frames 300] [--clips 4] [--work-dir /tmp/extract_bench]
    python benchmarks/extract.py --device cuda       # onnxruntime-gpu

Builds a 1280x720 test video of a real person (``skimage.data.astronaut()`` moving across a
studio background) and random-weight ONNX exports of the real architectures (RTMPose-m
whole-body 256x192 and an RTMDet-tiny person detector; see
unisign_fla/testing/rtm_architectures.py), which cost the same to run as the official weights.
Measures, in frames per second:

- ``decode_fps``: decoding alone (OpenCV, as the job decodes);
- ``model_fps``: the pose model alone on ready crops, at its best batch size;
- ``pipeline_fps``: ``tools/extract_pose.py``'s job (rtmpose backend with its defaults: detector
  every 50 frames, pose crops batched by 16; hand crops, shard writing) over ``--clips`` copies
  of the video, from job start (model loading included) to the last shard written;
- ``naive_fps``: what the reference script does: read a frame, detect, estimate, one at a time.

Random detector weights find no person, so the detector's output is ignored in favour of the
whole frame (``no_person='full_frame'``); the detector still runs on the same frames.
- ``stages_ms_per_frame``: where the job's time went, per stage (decode, the estimate stage's
  detector / pose crop warps and normalisation / SimCC decoding / the model, hand crops and JPEG,
  writing, the writer's waiting, setup), wall and CPU time inside it per frame;
- ``overhead_ms_per_frame``: 1000 / pipeline_fps - 1000 / model_fps.

The default 12 clips: a job's first ``threads + pose workers`` clips decode into fresh memory,
three times as costly here as into the reused buffers of every later clip, so fewer clips
measure mostly that warm-up. Ends with one JSON line. Targets: pipeline >= 3 x naive and
>= 0.75 x model.
"""
import argparse
import json
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import cv2
import numpy as np

from unisign_fla.extraction.backends.person_detector import PersonDetector
from unisign_fla.extraction.backends.signer_track import SignerBoxes
from unisign_fla.extraction.backends.topdown_pose import TopDownPoseModel
from unisign_fla.extraction.job import ExtractionConfig, ExtractionJob
from unisign_fla.extraction.pipeline import StageTimes
from unisign_fla.extraction.video_reader import FrameBufferPool, read_clip
from unisign_fla.testing.rtm_architectures import export_rtmdet, export_rtmpose

WIDTH, HEIGHT = 1280, 720


def make_video(path: str, num_frames: int) -> None:
    from skimage.data import astronaut
    person = cv2.cvtColor(astronaut(), cv2.COLOR_RGB2BGR)          # 512 x 512
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), 25, (WIDTH, HEIGHT))
    if not writer.isOpened():
        raise RuntimeError(f'cannot write {path}')
    for t in range(num_frames):
        frame = np.full((HEIGHT, WIDTH, 3), (70, 90, 110), np.uint8)
        x = int(100 + (WIDTH - 712) * t / max(num_frames - 1, 1))
        frame[104:616, x:x + 512] = person
        writer.write(frame)
    writer.release()


def frames_per_second(function, frames: int, min_seconds: float = 3.0) -> float:
    function()                                   # warm-up (session allocation)
    start, done = time.perf_counter(), 0
    while time.perf_counter() - start < min_seconds:
        function()
        done += frames
    return done / (time.perf_counter() - start)


def measure_decode(video: str, min_seconds: float = 3.0) -> float:
    """BGR frames into reused buffers, as the job decodes for the rtmpose backend."""
    pool = FrameBufferPool(max_buffers=1)

    def decode():
        clip = read_clip(video, rgb=False, pool=pool)
        pool.give(clip.frames)
        return clip
    return frames_per_second(decode, decode().num_frames, min_seconds)


def measure_model(pose_path: str, batch_sizes=(1, 4, 8, 16, 32), device: str = 'cpu',
                  min_seconds: float = 3.0) -> dict:
    """Crops per second of one session (ONNX Runtime's default threads) by batch size."""
    model = TopDownPoseModel(pose_path, device=device)
    crops = random_crops(model, max(batch_sizes))
    results = {}
    for batch in batch_sizes:
        feed = {model.input_name: crops[:batch]}
        results[batch] = frames_per_second(lambda: model.session.run(None, feed), batch,
                                           min_seconds)
    return results


def random_crops(model: TopDownPoseModel, batch: int) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(batch, 3, model.height, model.width)
                                           ).astype(np.float32)


def measure_model_side_by_side(pose_path: str, sessions: int, batch: int = 16,
                               min_seconds: float = 3.0) -> float:
    """Crops per second of ``sessions`` single-threaded sessions running at once, as the job
    runs one rtmpose instance per thread on the CPU."""
    models = [TopDownPoseModel(pose_path, threads=1) for _ in range(sessions)]
    feeds = [{m.input_name: random_crops(m, batch)} for m in models]

    def run_all():
        with ThreadPoolExecutor(sessions) as pool:
            list(pool.map(lambda k: models[k].session.run(None, feeds[k]), range(sessions)))
    return frames_per_second(run_all, batch * sessions, min_seconds)


@contextmanager
def profiled_backend(times: StageTimes):
    """Time the parts of the rtmpose backend's estimate stage (detector, crop warps and
    normalisation, SimCC decoding) in ``times``, by wrapping their methods for the duration."""
    wrapped = [(SignerBoxes, '__call__', 'estimate: detector'),
               (TopDownPoseModel, '_warp', 'estimate: pose crop warps + normalisation'),
               (TopDownPoseModel, '_normalise', 'estimate: pose crop warps + normalisation'),
               (TopDownPoseModel, '_decode', 'estimate: SimCC decoding')]
    originals = [(owner, name, owner.__dict__[name]) for owner, name, _ in wrapped]

    def timed(function, label):
        def wrapper(*args, **kwargs):
            with times.measure(label):
                return function(*args, **kwargs)
        return wrapper
    try:
        for (owner, name, label), (_, _, original) in zip(wrapped, originals):
            function = original.__func__ if isinstance(original, staticmethod) else original
            wrapper = timed(function, label)
            setattr(owner, name, staticmethod(wrapper) if isinstance(original, staticmethod)
                    else wrapper)
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def measure_pipeline(root: str, video: str, clips: int, backend_args: dict,
                     threads: int = 2, pose_workers=None) -> dict:
    """The job's frames per second from its start, and where the time went: per stage, the wall
    and CPU time inside it summed over its workers, in ms per frame."""
    manifest = os.path.join(root, 'manifest.jsonl')
    with open(manifest, 'w') as f:
        for i in range(clips):
            f.write(json.dumps({'id': f'clip{i}', 'dataset': 'bench', 'split': 'test',
                                'video': os.path.basename(video), 'language': 'en',
                                'text': 'benchmark'}) + '\n')
    out = tempfile.mkdtemp(dir=root, prefix='shards_')
    job = ExtractionJob(ExtractionConfig(manifest=manifest, video_root=os.path.dirname(video),
                                         out=out, backend='rtmpose', backend_args=backend_args,
                                         threads=threads, pose_workers=pose_workers))
    parts = StageTimes()
    with profiled_backend(parts):
        summary = job.run()
    if summary.failures:
        raise RuntimeError(f'{summary.failures} clips failed; see {out}/failures.jsonl')
    times = summary.stage_times
    times.merge(parts)
    estimate = times.stages['estimate']
    rest = [times.stages[name] for name in times.stages if name.startswith('estimate: ')]
    times.add('estimate: pose model (the rest)', estimate.seconds - sum(t.seconds for t in rest),
              estimate.cpu_seconds - sum(t.cpu_seconds for t in rest), estimate.items)
    def per_frame(seconds):
        return round(1000 * seconds / summary.frames, 3)
    breakdown = {name: {'wall_ms': per_frame(t.seconds), 'cpu_ms': per_frame(t.cpu_seconds)}
                 for name, t in sorted(times.stages.items())}
    breakdown['setup']['note'] = 'once per job: opening the models'
    return {'fps': summary.frames_per_second, 'frames': summary.frames,
            'seconds': summary.seconds, 'stages_ms_per_frame': breakdown, 'out': out,
            'pose_workers': summary.pose_workers}


def measure_naive(video: str, pose_path: str, detector_path: str, device: str = 'cpu') -> float:
    """Read a frame, detect, take the best box (the whole frame if none), estimate; repeat."""
    detector = PersonDetector(detector_path, device=device)
    model = TopDownPoseModel(pose_path, batch_size=1, device=device)
    whole = np.array([[0, 0, WIDTH, HEIGHT]], np.float32)
    capture = cv2.VideoCapture(video)
    start, frames = time.perf_counter(), 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        boxes, _ = detector.detect([frame])[0]
        model(frame[None], boxes[:1] if len(boxes) else whole)
        frames += 1
    capture.release()
    return frames / (time.perf_counter() - start)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--frames', type=int, default=300)
    parser.add_argument('--clips', type=int, default=12, help='copies of the video in the job')
    parser.add_argument('--work-dir', default=os.path.join(tempfile.gettempdir(),
                                                            'unisign_fla_extract_bench'))
    parser.add_argument('--detect-interval', type=int, default=50,
                        help='the rtmpose backend default')
    parser.add_argument('--seconds', type=float, default=3.0,
                        help='time each decode / model measurement at least this long')
    parser.add_argument('--device', default='cpu',
                        help="'cuda' runs the ONNX models on onnxruntime-gpu")
    parser.add_argument('--threads', type=int, default=2,
                        help="the job's decode and crop workers (and, on the CPU, pose workers)")
    parser.add_argument('--pose-workers', type=int, default=None,
                        help="default: the job's (one per thread on the CPU)")
    parser.add_argument('--no-naive', action='store_true', help='skip the naive loop (1 min)')
    args = parser.parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    video = os.path.join(args.work_dir, f'astronaut_{args.frames}.mp4')
    if not os.path.exists(video):
        make_video(video, args.frames)
    pose_path = os.path.join(args.work_dir, 'rtmpose-m_wholebody_256x192_random.onnx')
    detector_path = os.path.join(args.work_dir, 'rtmdet-tiny_person_640_random.onnx')
    if not os.path.exists(pose_path):
        export_rtmpose(pose_path)
    if not os.path.exists(detector_path):
        export_rtmdet(detector_path, 'tiny')

    decode_fps = measure_decode(video, args.seconds)
    print(f'decode: {decode_fps:.1f} frames/s ({WIDTH}x{HEIGHT}, {args.frames} frames)')
    by_batch = measure_model(pose_path, device=args.device, min_seconds=args.seconds)
    print('pose model alone, one session: ' + ', '.join(f'batch {b}: {v:.1f}'
                                                       for b, v in by_batch.items()) + ' crops/s')
    models = {f'one session, batch {b}': v for b, v in by_batch.items()}
    if args.device == 'cpu' and (os.cpu_count() or 1) > 1:
        sessions = os.cpu_count()
        models[f'{sessions} single-threaded sessions, batch 16'] = measure_model_side_by_side(
            pose_path, sessions, 16, args.seconds)
        print(f'pose model alone, {sessions} single-threaded sessions side by side, batch 16: '
              f'{models[f"{sessions} single-threaded sessions, batch 16"]:.1f} crops/s')
    best_model = max(models, key=models.get)
    model_fps = models[best_model]
    pipeline = measure_pipeline(args.work_dir, video, args.clips, dict(
        pose_model=pose_path, detector=detector_path, detect_interval=args.detect_interval,
        no_person='full_frame', device=args.device), args.threads, args.pose_workers)
    print(f'pipeline: {pipeline["fps"]:.1f} frames/s ({pipeline["frames"]} frames in '
          f'{pipeline["seconds"]:.1f} s, detector every {args.detect_interval} frames, '
          f'{args.threads} threads)')
    for name, t in pipeline['stages_ms_per_frame'].items():
        print(f'  {name:45s} {t["wall_ms"]:7.3f} ms/frame inside, {t["cpu_ms"]:7.3f} ms CPU')
    overhead = 1000 / pipeline['fps'] - 1000 / model_fps
    result = {'decode_fps': round(decode_fps, 1), 'model_fps': round(model_fps, 1),
              'model_best': best_model, 'pipeline_fps': round(pipeline['fps'], 1),
              'overhead_ms_per_frame': round(overhead, 2),
              'pipeline_over_model': round(pipeline['fps'] / model_fps, 3),
              'threads': args.threads, 'pose_workers': pipeline['pose_workers'],
              'stages_ms_per_frame': pipeline['stages_ms_per_frame'], 'device': args.device}
    if not args.no_naive:
        naive_fps = measure_naive(video, pose_path, detector_path, args.device)
        print(f'naive per-frame loop: {naive_fps:.1f} frames/s')
        result.update(naive_fps=round(naive_fps, 1),
                      pipeline_over_naive=round(pipeline['fps'] / naive_fps, 2))
    print(f'overhead: {overhead:.2f} ms per frame (target <= 4); pipeline / model '
          f'{result["pipeline_over_model"]} (target >= 0.75)')
    print(json.dumps(result))
    return result


if __name__ == '__main__':
    main()
