"""mmengine metric for generated outputs: published-convention scores, saved with the outputs."""
import json
import os
from typing import List, Optional, Sequence

from mmengine.evaluator import BaseMetric

from unisign_fla.registry import METRICS

from .scoring import score


@METRICS.register_module()
class TranslationMetric(BaseMetric):
    """``scoring.score`` of the predictions against the targets: BLEU-1..4 and both ROUGE-L
    conventions, plus WER for CSLR and top-1 accuracy for ISLR sets.

    Args:
        output_dir: if set, ``predictions.jsonl`` (id, hypothesis, reference) and ``metrics.json``
            (scores, sacrebleu signature and the conventions used) are written there after each
            evaluation.
    """

    default_prefix = 'translation'

    def __init__(self, output_dir: Optional[str] = None, prefix: Optional[str] = None,
                 collect_device: str = 'cpu'):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.output_dir = output_dir

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append({'id': sample['id'], 'hypothesis': sample['prediction'],
                                 'reference': sample['target'], 'language': sample['language'],
                                 'task': sample['task']})

    def compute_metrics(self, results: List[dict]) -> dict:
        sets = {(r['language'], r['task']) for r in results}
        if len(sets) != 1:
            raise ValueError('one evaluation set must have one language and one task, got '
                             f'{sorted(sets)}')
        language, task = sets.pop()
        report = score([r['hypothesis'] for r in results], [r['reference'] for r in results],
                       language, task)
        if self.output_dir:
            self._save(results, dict(report, language=language, task=task,
                                     num_samples=len(results)))
        return {k: v for k, v in report.items() if isinstance(v, (int, float))}

    def _save(self, results: List[dict], report: dict) -> None:
        os.makedirs(self.output_dir, exist_ok=True)
        with open(os.path.join(self.output_dir, 'predictions.jsonl'), 'w',
                  encoding='utf-8') as f:
            for r in sorted(results, key=lambda r: r['id']):
                f.write(json.dumps({k: r[k] for k in ('id', 'hypothesis', 'reference')},
                                   ensure_ascii=False) + '\n')
        with open(os.path.join(self.output_dir, 'metrics.json'), 'w', encoding='utf-8') as f:
            json.dump(report, f, indent=2, ensure_ascii=False)
