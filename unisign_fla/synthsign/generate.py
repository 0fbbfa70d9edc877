"""Write a SynthSign data set: videos, estimator-like keypoints, manifests and a summary.

Layout under ``out_dir``: ``videos/{id}.mp4``, ``keypoints/{id}.npy`` (float32 (T, 133, 3)),
``manifests/{train,dev,test}.jsonl`` (sentences), ``manifests/islr_{split}.jsonl`` (single
signs) and ``synthsign.json``, written last, so that its presence marks a complete data set.
Everything is a function of ``seed`` and ``size``: the same arguments give identical keypoints
and manifests, whatever the number of workers.
"""
import json
import multiprocessing
import os
import time
from dataclasses import dataclass

import numpy as np

from unisign_fla.fileio import atomic_write, write_text_atomic
from unisign_fla.formats.manifest import write_manifest
from unisign_fla.synthsign.estimator import simulate_estimator
from unisign_fla.synthsign.grammar import Grammar
from unisign_fla.synthsign.motion import build_timeline
from unisign_fla.synthsign.render import write_video
from unisign_fla.synthsign.signer import FRAME_SIZE, SPLIT_SIGNERS, make_signers, signers_by_split
from unisign_fla.synthsign.skeleton import synthesize_pose
from unisign_fla.synthsign.vocabulary import (
    LEXICON_SEED,
    MIN_MANUAL_DISTANCE,
    MINIMAL_PAIRS,
    build_vocabulary,
)

FPS = 12.5
FORMAT = 'synthsign/1'
SPLITS = tuple(name for name, _ in SPLIT_SIGNERS)
SUMMARY_FILE = 'synthsign.json'


@dataclass(frozen=True)
class Preset:
    """Clip counts of a size: sentences per split, ISLR clips per sign per split (capped)."""
    sentences: tuple[int, int, int]
    islr_per_sign: tuple[int, int, int]
    islr_cap: tuple[int | None, int | None, int | None] = (None, None, None)


PRESETS: dict[str, Preset] = {
    'tiny': Preset((16, 6, 6), (1, 1, 1), islr_cap=(12, 4, 4)),
    'small': Preset((400, 60, 60), (2, 1, 1)),
    'demo': Preset((2000, 250, 250), (8, 1, 1)),
}


@dataclass(frozen=True)
class ClipSpec:
    """Everything a worker needs to produce one clip."""
    id: str
    split: str
    signer: int
    glosses: tuple[str, ...]
    text: str | None
    label: str | None
    seed: tuple[int, ...]

    def record(self, signers) -> dict:
        rec = dict(id=self.id, dataset='synthsign', split=self.split,
                   video=f'videos/{self.id}.mp4', keypoints=f'keypoints/{self.id}.npy',
                   language='en', signer=signers[self.signer].id)
        if self.label is not None:
            rec['label'] = self.label
        else:
            rec.update(text=self.text, gloss=list(self.glosses))
        return rec


def plan_clips(seed: int, size: str, vocabulary=None, signers=None) -> list[ClipSpec]:
    """All clips of a data set in their fixed order (sentences, then ISLR, split by split)."""
    if size not in PRESETS:
        raise ValueError(f'unknown size {size!r}, expected one of {sorted(PRESETS)}')
    preset = PRESETS[size]
    vocabulary = vocabulary or build_vocabulary()
    signers = signers or make_signers(seed)
    index_of = {s.id: i for i, s in enumerate(signers)}
    by_split = signers_by_split(signers)
    grammar = Grammar(vocabulary)
    specs = []
    for k, split in enumerate(SPLITS):
        members = [index_of[s.id] for s in by_split[split]]
        rng = np.random.default_rng([seed, 1, k])
        for i in range(preset.sentences[k]):
            sentence = grammar.sample(rng)
            specs.append(ClipSpec(f'synthsign-{split}-{i:05d}', split,
                                  members[int(rng.integers(len(members)))], sentence.gloss,
                                  sentence.text, None, (seed, 2, k, i)))
    for k, split in enumerate(SPLITS):
        members = [index_of[s.id] for s in by_split[split]]
        rng = np.random.default_rng([seed, 3, k])
        clips = []
        # Round r gives sign s to signer (r + s) mod n: with n rounds every signer signs every sign.
        for round_ in range(preset.islr_per_sign[k]):
            for sign_idx in rng.permutation(len(vocabulary)):
                clips.append((int(sign_idx), members[(round_ + int(sign_idx)) % len(members)]))
        cap = preset.islr_cap[k]
        for i, (sign_idx, signer) in enumerate(clips[:cap] if cap else clips):
            sign = vocabulary[sign_idx]
            specs.append(ClipSpec(f'synthsign-islr-{split}-{i:05d}', split, signer,
                                  (sign.gloss,), None, sign.word, (seed, 4, k, i)))
    return specs


_WORKER: dict = {}


def _init_worker(seed: int, out_dir: str):
    _WORKER.update(signs={s.gloss: s for s in build_vocabulary()}, signers=make_signers(seed),
                   out_dir=out_dir)


def make_clip(spec: ClipSpec, signs: dict, signers, out_dir: str) -> int:
    """Synthesise, render and write one clip (video, then keypoints); returns its frame count.
    A clip whose keypoint file exists is complete (it is written last) and is skipped."""
    kp_path = os.path.join(out_dir, 'keypoints', f'{spec.id}.npy')
    if os.path.exists(kp_path):
        return int(np.load(kp_path, mmap_mode='r', allow_pickle=False).shape[0])
    signer = signers[spec.signer]
    rng = np.random.default_rng(spec.seed)
    timeline = build_timeline([signs[g] for g in spec.glosses], signer, rng,
                              rest_frames=3 if spec.label is not None else 2)
    pose = synthesize_pose(timeline, signer, rng)
    keypoints = simulate_estimator(pose, signer, rng)
    frames = write_video(os.path.join(out_dir, 'videos', f'{spec.id}.mp4'), pose, signer, FPS)
    if frames != len(keypoints):
        raise RuntimeError(f'{spec.id}: wrote {frames} video frames for {len(keypoints)} '
                           f'keypoint rows')
    with atomic_write(kp_path) as tmp, open(tmp, 'wb') as f:
        np.save(f, keypoints, allow_pickle=False)
    return frames


def _make_clip_in_worker(spec: ClipSpec) -> int:
    return make_clip(spec, _WORKER['signs'], _WORKER['signers'], _WORKER['out_dir'])


def _load_complete(out_dir: str, seed: int, size: str) -> dict | None:
    path = os.path.join(out_dir, SUMMARY_FILE)
    if not os.path.isfile(path):
        return None
    with open(path, encoding='utf-8') as f:
        summary = json.load(f)
    if summary.get('seed') != seed or summary.get('size') != size:
        raise ValueError(f'{path}: holds a complete data set with seed={summary.get("seed")} '
                         f'size={summary.get("size")!r}, not seed={seed} size={size!r}; '
                         f'choose another output directory')
    return summary


def generate_dataset(out_dir: str, size: str = 'tiny', seed: int = 0, workers: int = 1) -> dict:
    """Generate (or find complete) a SynthSign data set; returns the summary of synthsign.json
    plus ``seconds`` and ``frames_per_second`` of this call."""
    start = time.perf_counter()
    if size not in PRESETS:
        raise ValueError(f'unknown size {size!r}, expected one of {sorted(PRESETS)}')
    if workers < 1:
        raise ValueError(f'workers must be >= 1, got {workers}')
    done = _load_complete(out_dir, seed, size)
    if done is not None:
        return {**done, 'seconds': time.perf_counter() - start, 'frames_per_second': None}
    vocabulary, signers = build_vocabulary(), make_signers(seed)
    specs = plan_clips(seed, size, vocabulary, signers)
    for sub in ('videos', 'keypoints', 'manifests'):
        os.makedirs(os.path.join(out_dir, sub), exist_ok=True)
    if workers > 1:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context('fork' if 'fork' in methods else 'spawn')
        with ctx.Pool(workers, initializer=_init_worker, initargs=(seed, out_dir)) as pool:
            frames = list(pool.imap(_make_clip_in_worker, specs, chunksize=8))
    else:
        signs = {s.gloss: s for s in vocabulary}
        frames = [make_clip(spec, signs, signers, out_dir) for spec in specs]

    counts = {split: {'sentences': 0, 'islr': 0, 'frames': 0} for split in SPLITS}
    for spec, n in zip(specs, frames):
        counts[spec.split]['islr' if spec.label is not None else 'sentences'] += 1
        counts[spec.split]['frames'] += n
    for split in SPLITS:
        for prefix, is_islr in (('', False), ('islr_', True)):
            records = [s.record(signers) for s in specs
                       if s.split == split and (s.label is not None) == is_islr]
            write_manifest(records, os.path.join(out_dir, 'manifests', f'{prefix}{split}.jsonl'))
    summary = {
        'format': FORMAT, 'seed': seed, 'size': size, 'fps': FPS,
        'width': FRAME_SIZE[0], 'height': FRAME_SIZE[1], 'lexicon_seed': LEXICON_SEED,
        'min_manual_distance': MIN_MANUAL_DISTANCE,
        'vocabulary': [s.to_json() for s in vocabulary],
        'minimal_pairs': [list(p) for p in MINIMAL_PAIRS],
        'signers': [s.to_json() for s in signers],
        'counts': counts,
        'total_frames': int(sum(frames)),
    }
    write_text_atomic(os.path.join(out_dir, SUMMARY_FILE), json.dumps(summary, indent=1))
    seconds = time.perf_counter() - start
    return {**summary, 'seconds': seconds, 'frames_per_second': sum(frames) / max(seconds, 1e-9)}
