"""The extraction batch job behind ``tools/extract_pose.py``: manifest -> shards + failure log.

Work is split deterministically so that any number of workers (and any re-run) agree on which
clip goes where: the records of each ``(dataset, split)``, in manifest order, are cut into chunks
of ``samples_per_shard``; chunk number k (counted over the whole manifest) becomes one shard and
is done by worker ``k % num_workers``. A shard is finished once its index JSON exists (see
``shard_is_done``), so a re-run skips finished shards and redoes the rest from scratch. A clip
that fails is logged and skipped; the job fails only when too many do.

Except that a shard in which every clip failed is redone by every re-run: the usual cause is a
wrong ``--video-root`` or an unmounted disk, and the corrected run must not keep the empty
shard. ``retry_failed`` also redoes the shards that list any failed clip (workers sharing
``--out`` must agree on it). The failure log is rebuilt from the shards' indices after each run,
so a clip that succeeds on a retry leaves it.

Temporary files and who may delete them. Workers sharing ``--out`` own disjoint shards, and every
worker rewrites the shared files (split indices, the failure log), so a temporary file may be a
live write of another worker, possibly on another host. A worker deletes only:
- the temporary files of a shard it is about to (re)do: it is that shard's only writer;
- the temporary files of finished shards: nobody writes a finished shard again;
- temporary copies of shared files whose process has ended on this host, or that are over an
  hour old (a copy lives for the milliseconds of one write). A younger one from another host is
  left for a run on that host, or for an hour.
So once the workers of a killed run have run again, no orphan of theirs is left.
"""
import glob
import inspect
import json
import logging
import os
import time
from contextlib import closing
from dataclasses import dataclass, field

import cv2
import numpy as np

from unisign_fla.extraction import backends as builtin_backends  # noqa: F401  (registers them)
from unisign_fla.extraction.backends.base import ClipContext, PoseBackend, resolve_input
from unisign_fla.extraction.hand_crops import extract_hand_crops
from unisign_fla.extraction.pipeline import Pipeline, Stage, StageTimes
from unisign_fla.extraction.progress import Progress
from unisign_fla.extraction.video_reader import Clip, FrameBufferPool, read_clip
from unisign_fla.fileio import write_text_atomic
from unisign_fla.formats.manifest import ManifestError, scan_manifest
from unisign_fla.formats.names import is_orphan_temporary, output_path
from unisign_fla.formats.shard_index import (
    read_shard_index,
    shard_stem,
    split_index_path,
    write_split_index,
)
from unisign_fla.formats.shards import ShardWriter, encode_sample, pose_problem
from unisign_fla.keypoints import HAND_SCORE_THRESHOLD, NUM_KEYPOINTS
from unisign_fla.registry import POSE_BACKENDS

logger = logging.getLogger(__name__)
FAILURES_FILE = 'failures.jsonl'
# What makes one clip fail without stopping the job (a bug in our code still stops it).
CLIP_ERRORS = (OSError, ValueError, RuntimeError, cv2.error)


@dataclass
class ExtractionConfig:
    """Everything one run needs; mirrors the command-line options of tools/extract_pose.py."""
    manifest: str
    video_root: str
    out: str
    backend: str = 'precomputed'
    backend_args: dict = field(default_factory=dict)
    crops: bool = True
    crop_size: int = 112
    crop_threshold: float = HAND_SCORE_THRESHOLD
    samples_per_shard: int = 256
    num_workers: int | None = None    # None: from WORLD_SIZE / SLURM_NTASKS, else 1
    worker_index: int | None = None   # None: from RANK / SLURM_PROCID, else 0
    max_failure_rate: float = 0.05
    folder_fps: float = 25.0
    threads: int = 2                      # decode and crop workers
    pose_workers: int | None = None    # backend instances side by side; resolve_pose_workers
    jpeg_quality: int = 90
    max_clip_gib: float | None = 8.0   # decoded frames of one clip; None: no limit
    allow_outside_root: bool = False      # read video / keypoints paths outside video_root
    retry_failed: bool = False            # also redo shards that list failed clips
    require_target: bool = True           # False: clips to translate (tools/infer.py)


@dataclass
class ShardPlan:
    """One chunk of the manifest and the shard it becomes."""
    number: int        # chunk number over the whole manifest (decides the worker)
    dataset: str
    split: str
    index: int         # shard number within its split (names the file)
    records: list[dict]

    @property
    def stem(self) -> str:
        return shard_stem(self.dataset, self.split, self.index)

    def tar_path(self, out_dir: str) -> str:
        return output_path(out_dir, self.stem + '.tar')

    def json_path(self, out_dir: str) -> str:
        return output_path(out_dir, self.stem + '.json')


@dataclass
class JobSummary:
    clips: int = 0            # clips extracted by this run
    frames: int = 0           # frames extracted by this run
    failures: int = 0         # failed clips in this worker's shards, including skipped shards
    assigned: int = 0         # clips in this worker's shards, plus invalid manifest lines
    shards_written: int = 0
    shards_skipped: int = 0
    seconds: float = 0.0
    pose_workers: int = 0     # backend instances this run used
    stage_times: StageTimes = field(default_factory=StageTimes)   # where this run's time went

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0

    @property
    def failure_rate(self) -> float:
        return self.failures / self.assigned if self.assigned else 0.0


def resolve_worker(num_workers: int | None, worker_index: int | None) -> tuple[int, int]:
    """``(W, I)`` from the arguments, else torchrun's WORLD_SIZE/RANK, else SLURM's, else (1, 0)."""
    env = os.environ
    if num_workers is None:
        num_workers = int(env.get('WORLD_SIZE') or env.get('SLURM_NTASKS') or 1)
    if worker_index is None:
        worker_index = int(env.get('RANK') or env.get('SLURM_PROCID') or 0)
    if num_workers < 1 or not 0 <= worker_index < num_workers:
        raise ValueError(f'worker index {worker_index} is not in 0..{num_workers - 1} '
                         f'(--num-shards {num_workers} --shard-index {worker_index})')
    return num_workers, worker_index


def check_backend_args(backend: str, backend_args) -> None:
    """A one-line ``ValueError`` for a backend name or ``--backend-args`` the backend cannot
    be built from (not a JSON object, an unknown or a missing argument), checked before any
    model is loaded or anything written."""
    if backend not in POSE_BACKENDS.module_dict:
        raise ValueError(f'unknown pose backend {backend!r}; available: '
                         f'{sorted(POSE_BACKENDS.module_dict)}')
    if not isinstance(backend_args, dict):
        raise ValueError(f'--backend-args must be a JSON object such as {{"name": value}}, got '
                         f'{json.dumps(backend_args)}')
    signature = inspect.signature(POSE_BACKENDS.get(backend).__init__)
    parameters = list(signature.parameters.values())[1:]   # without self
    if any(p.kind == p.VAR_KEYWORD for p in parameters):
        return
    names = [p.name for p in parameters]
    unknown = sorted(set(backend_args) - set(names))
    missing = [p.name for p in parameters if p.default is p.empty and p.name not in backend_args]
    if unknown or missing:
        problem = (f'unknown {", ".join(map(repr, unknown))}' if unknown else
                   f'missing {", ".join(map(repr, missing))}')
        raise ValueError(f'--backend-args for {backend}: {problem}; it takes '
                         f'{", ".join(names) or "no arguments"}')


def resolve_pose_workers(cfg: ExtractionConfig, backend_class) -> int:
    """``cfg.pose_workers``, else one instance per thread for a backend that computes on the CPU
    (single-threaded sessions side by side lose nothing to the decode and crop threads, whereas
    one session spread over all cores stalls whenever one of them is taken), else one."""
    if cfg.pose_workers is not None:
        if cfg.pose_workers < 1:
            raise ValueError(f'pose_workers must be >= 1, got {cfg.pose_workers}')
        return cfg.pose_workers
    return max(1, cfg.threads) if backend_class.computes_on_cpu(cfg.backend_args) else 1


def plan_shards(records: list[dict], samples_per_shard: int) -> list[ShardPlan]:
    """Chunk each ``(dataset, split)``'s records, in manifest order, into shards."""
    if samples_per_shard < 1:
        raise ValueError(f'samples_per_shard must be >= 1, got {samples_per_shard}')
    groups: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        groups.setdefault((record['dataset'], record['split']), []).append(record)
    plans = []
    for (dataset, split), group in groups.items():
        for index, start in enumerate(range(0, len(group), samples_per_shard)):
            plans.append(ShardPlan(len(plans), dataset, split, index,
                                   group[start:start + samples_per_shard]))
    return plans


def decode_clip(record: dict, cfg: ExtractionConfig, backend: PoseBackend,
                pool: FrameBufferPool | None = None) -> Clip:
    """The decode stage: read the clip's frames, or only its geometry when neither the
    backend nor the crops need pixels."""
    return read_clip(resolve_input(cfg.video_root, record['video'], 'video',
                                   cfg.allow_outside_root), record.get('start'),
                     record.get('end'), record.get('time_unit'),
                     decode=backend.needs_frames or cfg.crops, rgb=backend.wants_rgb,
                     folder_fps=cfg.folder_fps, decoder_threads=1 if cfg.threads > 1 else 0,
                     pool=pool, max_bytes=None if cfg.max_clip_gib is None
                     else int(cfg.max_clip_gib * 2 ** 30))


def estimate_pose(record: dict, clip: Clip, cfg: ExtractionConfig,
                  backend: PoseBackend) -> np.ndarray:
    """The estimate stage: one worker per backend instance, so a backend never runs concurrently
    with itself."""
    context = ClipContext(cfg.video_root, os.path.join(cfg.video_root, record['video']), clip.fps,
                          clip.width, clip.height, clip.frame_indices, cfg.allow_outside_root)
    pose = np.asarray(backend.estimate(clip.frames, record, context), np.float32)
    if pose.shape != (clip.num_frames, NUM_KEYPOINTS, 3):
        raise RuntimeError(f'backend {backend.name!r} returned {pose.shape} for clip '
                           f'{record["id"]!r}, expected ({clip.num_frames}, {NUM_KEYPOINTS}, 3)')
    # Checked as stored (float16: beyond 65504 a value becomes inf), so the loader, which would
    # refuse the sample, never sees it: the clip fails now, with the reason.
    problem = pose_problem(pose.astype(np.float16).astype(np.float32), clip.width, clip.height)
    if problem:
        raise RuntimeError(f'backend {backend.name!r} returned unusable keypoints for clip '
                           f'{record["id"]!r}: {problem}')
    return pose


def build_sample(record: dict, clip: Clip, pose: np.ndarray, cfg: ExtractionConfig,
                 backend: PoseBackend) -> dict:
    """The crops stage: meta and hand crops; returns the sample as ``read_sample`` would."""
    meta = dict(record, fps=clip.fps, width=clip.width, height=clip.height,
                num_frames=clip.num_frames, frame_indices=clip.frame_indices,
                estimator={'name': backend.name, 'version': backend.version},
                crop_size=cfg.crop_size if cfg.crops else None)
    if clip.warnings:
        meta['warnings'] = clip.warnings
    sample = {'id': record['id'], 'pose': pose, 'meta': meta}
    if cfg.crops:
        sample.update(extract_hand_crops(clip.frames, pose, cfg.crop_size, cfg.crop_threshold,
                                         frames_bgr=not backend.wants_rgb))
    return sample


@dataclass
class ClipWork:
    """One clip on its way through ``clip_pipeline``; each stage fills in its part."""
    record: dict
    clip: Clip | None = None
    pose: np.ndarray | None = None
    sample: dict | None = None
    members: dict[str, bytes] | None = None

    @property
    def num_frames(self) -> int:
        return len(self.pose)


def clips_in_flight(cfg: ExtractionConfig, pose_workers: int) -> int:
    """Clips between decoding and writing at once: one per pose worker and one per thread, so
    that a clip is decoded while the pose workers run, and a worker that finishes early finds
    the next one. Their frames are what the job holds in memory; fewer clips also means fewer
    frame buffers taken fresh, which cost three times as much to decode into (video_reader.py)."""
    return pose_workers + max(1, cfg.threads)


def clip_pipeline(cfg: ExtractionConfig, backends: list[PoseBackend], buffers: FrameBufferPool,
                  times: StageTimes) -> Pipeline:
    """decode (``cfg.threads`` workers) -> estimate (one worker per backend) -> crops and
    encoding (``cfg.threads`` workers), ``clips_in_flight`` clips at most. Frames are decoded
    into ``buffers`` (kept for the whole job: decoding into fresh memory costs three times as
    much) and given back once the crops are cut."""
    threads = max(1, cfg.threads)
    model = backends[0]

    def decode(work: ClipWork) -> ClipWork:
        work.clip = decode_clip(work.record, cfg, model, buffers)
        return work

    def estimator(backend: PoseBackend):
        def estimate(work: ClipWork) -> ClipWork:
            try:
                work.pose = estimate_pose(work.record, work.clip, cfg, backend)
            except BaseException:
                buffers.give(work.clip.frames)
                raise
            return work
        return estimate

    def crops(work: ClipWork) -> ClipWork:
        try:
            work.sample = build_sample(work.record, work.clip, work.pose, cfg, model)
        finally:
            buffers.give(work.clip.frames)
        work.members = encode_sample(work.sample, cfg.jpeg_quality)
        work.clip = None
        return work

    stages = [Stage.replicated('decode', decode, threads),
              Stage('estimate', [estimator(backend) for backend in backends]),
              Stage.replicated('crops', crops, threads)]
    return Pipeline(stages, clips_in_flight(cfg, len(backends)), CLIP_ERRORS, times)


def _failure(record: dict, error: Exception, shard: str) -> dict:
    return {'id': record['id'], 'video': record['video'], 'shard': shard,
            'reason': f'{type(error).__name__}: {error}'}


def _manifest_failures(problems: list[ManifestError]) -> list[dict]:
    """Failure entries for invalid manifest lines, with the line's id when it has one."""
    return [{'id': p.record_id, 'video': None, 'reason': str(p), 'manifest_line': p.line}
            for p in problems]


def shard_is_done(json_path: str, retry_failed: bool = False) -> bool:
    """Whether a run may skip the shard: its index exists, and it is neither empty with failures
    (every clip failed) nor, with ``retry_failed``, listing any failure."""
    if not os.path.exists(json_path):
        return False
    index = read_shard_index(json_path)
    return not index.get('failures') or (index['num_samples'] > 0 and not retry_failed)


class ExtractionJob:
    """One worker's share of an extraction run (see the module docstring)."""

    def __init__(self, cfg: ExtractionConfig):
        self.cfg = cfg
        self.num_workers, self.worker_index = resolve_worker(cfg.num_workers, cfg.worker_index)
        records, problems = scan_manifest(cfg.manifest, cfg.require_target)
        self.manifest_failures = _manifest_failures(problems)
        self.plans = plan_shards(records, cfg.samples_per_shard)
        self.mine = [p for p in self.plans if p.number % self.num_workers == self.worker_index]
        os.makedirs(cfg.out, exist_ok=True)

    def run(self) -> JobSummary:
        summary = JobSummary(assigned=len(self.manifest_failures),
                             failures=len(self.manifest_failures))
        for message in (f['reason'] for f in self.manifest_failures):
            logger.warning('invalid manifest line skipped: %s', message)
        done = {p.stem for p in self.plans
                if shard_is_done(p.json_path(self.cfg.out), self.cfg.retry_failed)}
        self._remove_orphans(done)
        backends: list[PoseBackend] = []
        buffers: FrameBufferPool | None = None   # decoded frames, reused across shards
        start = time.perf_counter()
        todo = [p for p in self.mine if p.stem not in done]
        progress = Progress(sum(len(p.records) for p in todo))
        try:
            for plan in self.mine:
                summary.assigned += len(plan.records)
                if plan.stem in done:
                    summary.shards_skipped += 1
                    summary.failures += len(read_shard_index(plan.json_path(self.cfg.out))
                                            .get('failures', []))
                    continue
                if not backends:
                    with summary.stage_times.measure('setup'):
                        backends = self._build_backends()
                    summary.pose_workers = len(backends)
                    buffers = FrameBufferPool(clips_in_flight(self.cfg, len(backends)))
                self._write_shard(plan, backends, buffers, summary, progress)
                summary.shards_written += 1
        finally:
            progress.close()
            for backend in backends:
                backend.close()
            summary.seconds = time.perf_counter() - start
        self.write_indices(only_complete=True)
        logger.info('done: worker %d/%d, %d clips, %d frames, %d failures (%.1f%%), %d shards '
                    'written, %d skipped, %.1f s, %.0f frames/s', self.worker_index,
                    self.num_workers, summary.clips, summary.frames, summary.failures,
                    100 * summary.failure_rate, summary.shards_written, summary.shards_skipped,
                    summary.seconds, summary.frames_per_second)
        return summary

    def _remove_orphans(self, done: set) -> None:
        """Delete the temporary files no live write can need (the rule is in the module
        docstring); those of shards not ``done`` wait for the shard's owner to redo it."""
        out = self.cfg.out
        shard_files = {stem + suffix for stem in done for suffix in ('.tar', '.json')}
        shared = {FAILURES_FILE} | {os.path.basename(split_index_path(out, p.dataset, p.split))
                                    for p in self.plans}
        for name in os.listdir(out):
            target = name[:name.find('.tmp')] if '.tmp' in name else None
            path = os.path.join(out, name)
            if os.path.isdir(path):
                continue
            if target in shard_files or (target in shared and is_orphan_temporary(path)):
                logger.info('removing %s, left by an interrupted run', path)
                os.remove(path)

    def _build_backends(self) -> list[PoseBackend]:
        """One backend per estimate worker (``resolve_pose_workers``)."""
        check_backend_args(self.cfg.backend, self.cfg.backend_args)
        backend_class = POSE_BACKENDS.get(self.cfg.backend)
        workers = resolve_pose_workers(self.cfg, backend_class)
        args = backend_class.args_per_instance(self.cfg.backend_args, workers)
        return [POSE_BACKENDS.build(dict(type=self.cfg.backend, **args)) for _ in range(workers)]

    def _write_shard(self, plan: ShardPlan, backends: list[PoseBackend],
                     buffers: FrameBufferPool, summary: JobSummary, progress: Progress) -> None:
        """Run the shard's clips through the pipeline (``clip_pipeline``) and write them in
        manifest order."""
        tar_path, json_path = plan.tar_path(self.cfg.out), plan.json_path(self.cfg.out)
        if os.path.exists(json_path):   # a shard being redone: empty its index first (one atomic
            # write, so readers never miss the file), so that a kill before the new index is
            # written leaves a shard the next run redoes, never an index of the old tar.
            old = read_shard_index(json_path)
            write_text_atomic(json_path, json.dumps(dict(old, samples=[], num_samples=0,
                                                         num_frames=0), ensure_ascii=False))
        # What an interrupted earlier attempt left (ShardWriter replaces X.tar.tmp itself).
        for leftover in [tar_path] + glob.glob(glob.escape(json_path) + '.tmp*'):
            if os.path.lexists(leftover):
                os.remove(leftover)
        name = os.path.basename(tar_path)
        failures = []
        with ShardWriter(tar_path, self.cfg.jpeg_quality) as writer:
            works = (ClipWork(record) for record in plan.records)
            results = clip_pipeline(self.cfg, backends, buffers, summary.stage_times).run(works)
            with closing(results):
                for work, error in results:
                    if error is not None:
                        failures.append(_failure(work.record, error, name))
                        progress.update(failures=1)
                        logger.warning('clip %s failed: %s', work.record['id'],
                                       failures[-1]['reason'])
                        continue
                    with summary.stage_times.measure('write'):
                        writer.write_encoded(work.sample['id'], work.members, work.num_frames,
                                             work.sample['meta'])
                    summary.clips += 1
                    summary.frames += work.num_frames
                    progress.update(clips=1, frames=work.num_frames)
            writer.finish({'failures': failures})
        summary.failures += len(failures)

    def write_indices(self, only_complete: bool) -> list[str]:
        """Write the split index of every split whose shards are all finished (or of every split
        when ``only_complete`` is False: the ``--merge-index`` run), and rewrite the failure log
        from the finished shards' indices plus the invalid manifest lines; returns split indices.

        The failure log is rebuilt rather than appended to, so that redoing an interrupted shard
        never logs its failures twice.
        """
        written, failures = [], list(self.manifest_failures)
        splits: dict[tuple[str, str], list[ShardPlan]] = {}
        for plan in self.plans:
            splits.setdefault((plan.dataset, plan.split), []).append(plan)
        for (dataset, split), plans in splits.items():
            finished = [p for p in plans if os.path.exists(p.json_path(self.cfg.out))]
            for plan in finished:
                failures += read_shard_index(plan.json_path(self.cfg.out)).get('failures', [])
            if len(finished) == len(plans) or not only_complete:
                index = write_split_index(self.cfg.out, dataset, split, len(plans))
                if index['missing_shards']:
                    logger.warning('%s-%s: split index lists %d of %d shards; unfinished: %s',
                                   dataset, split, index['num_shards'], len(plans),
                                   index['missing_shards'])
                written.append(f'{dataset}-{split}')
        write_text_atomic(output_path(self.cfg.out, FAILURES_FILE),
                          ''.join(json.dumps(row, ensure_ascii=False) + '\n' for row in failures))
        return written
