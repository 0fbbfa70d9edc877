"""mmengine metric for generated outputs: published-convention scores, saved with the outputs."""
import json
import os
from collections.abc import Sequence

from mmengine.evaluator import BaseMetric

from unisign_fla.evaluation.scoring import score
from unisign_fla.fileio import write_text_atomic
from unisign_fla.registry import METRICS


@METRICS.register_module()
class TranslationMetric(BaseMetric):
    """``scoring.score`` of the predictions against the targets: BLEU-1..4 and both ROUGE-L
    conventions, plus WER for CSLR and top-1 accuracy for ISLR sets.

    An evaluation set that mixes data sets or tasks (``MultiTaskDataset``) is scored per data set
    and task, each with its own language and metric: the returned keys are then
    ``{dataset}/{task}/{metric}`` and ``metrics.json`` holds ``{"sets": {"{dataset}/{task}":
    report}}``; a single set keeps the flat keys.

    Args:
        output_dir: if set, ``predictions.jsonl`` (id, hypothesis, reference, plus dataset and
            task for mixed sets) and ``metrics.json`` (scores, sacrebleu signature and the
            conventions used) are written there after each evaluation.
    """

    default_prefix = 'translation'

    def __init__(self, output_dir: str | None = None, prefix: str | None = None,
                 collect_device: str = 'cpu'):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.output_dir = output_dir

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append({'id': sample['id'], 'hypothesis': sample['prediction'],
                                 'reference': sample['target'], 'language': sample['language'],
                                 'task': sample['task'], 'dataset': sample.get('dataset')})

    def compute_metrics(self, results: list[dict]) -> dict:
        groups: dict[tuple, list[dict]] = {}
        for r in results:
            groups.setdefault((r['dataset'], r['task']), []).append(r)
        reports = {}
        for (dataset, task), members in sorted(groups.items(), key=lambda g: str(g[0])):
            languages = {r['language'] for r in members}
            if len(languages) != 1:
                raise ValueError(f'{dataset}/{task}: one evaluation set must have one language, '
                                 f'got {sorted(map(str, languages))}')
            language = languages.pop()
            report = score([r['hypothesis'] for r in members],
                           [r['reference'] for r in members], language, task)
            reports[f'{dataset}/{task}'] = dict(report, dataset=dataset, language=language,
                                                task=task, num_samples=len(members))
        mixed = len(reports) > 1
        if self.output_dir:
            self._save(results, {'sets': reports} if mixed else next(iter(reports.values())),
                       mixed)
        return {f'{name}/{k}' if mixed else k: v for name, report in reports.items()
                for k, v in report.items() if isinstance(v, (int, float)) and k != 'num_samples'}

    def _save(self, results: list[dict], report: dict, mixed: bool) -> None:
        os.makedirs(self.output_dir, exist_ok=True)
        # language and task on every record: `python -m unisign_fla.evaluation --hyp
        # predictions.jsonl` then needs no --lang / --task (docs/evaluation.md).
        keys = ('id', 'hypothesis', 'reference', 'language', 'task') + (
            ('dataset',) if mixed else ())
        ordered = sorted(results, key=lambda r: (str(r['dataset']), r['task'], r['id']))
        write_text_atomic(os.path.join(self.output_dir, 'predictions.jsonl'), ''.join(
            json.dumps({k: r[k] for k in keys}, ensure_ascii=False) + '\n' for r in ordered))
        write_text_atomic(os.path.join(self.output_dir, 'metrics.json'),
                          json.dumps(report, indent=2, ensure_ascii=False))
