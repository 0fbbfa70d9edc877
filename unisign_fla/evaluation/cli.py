"""Score plain text files, one sentence per line, with the published conventions.

    python -m unisign_fla.evaluation --hyp hyp.txt --ref ref.txt --lang zh [--task slt] [--json]
    python -m unisign_fla.evaluation --hyp a.txt --compare b.txt --ref ref.txt --lang en

Lines pair up by position. An empty hypothesis line is scored as an empty output (it counts
against the system); an empty reference line, different line counts or bytes that are not UTF-8
are errors that name the file and line. ``--compare`` adds a paired bootstrap test of BLEU-4
(system b - system a) with its 95% confidence interval.
"""
import argparse
import json
from typing import List

from .bleu import corpus_bleu
from .bootstrap import paired_bootstrap
from .scoring import LANGUAGES, TASKS, score

SCORE_KEYS = ('bleu1', 'bleu2', 'bleu3', 'bleu4', 'rouge_l', 'rouge_l_lcs_f1', 'wer',
              'substitutions', 'deletions', 'insertions', 'reference_words', 'top1_instance',
              'top1_class', 'top5_instance', 'top5_class')


def read_lines(path: str) -> List[str]:
    """Lines of a UTF-8 text file without their line ends (a final newline adds no line)."""
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as error:
        raise SystemExit(f'error: cannot read {path}: {error.strerror}') from None
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b'\n') + 1
        raise SystemExit(f'error: {path}: line {line} is not valid UTF-8 (byte offset '
                         f'{error.start})') from None
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    return [line.rstrip('\r') for line in lines]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog='python -m unisign_fla.evaluation',
                                     description=__doc__.split('\n\n')[0])
    parser.add_argument('--hyp', required=True, help='hypotheses, one per line')
    parser.add_argument('--ref', required=True, help='references, one per line')
    parser.add_argument('--lang', required=True, choices=LANGUAGES)
    parser.add_argument('--task', default='slt', choices=TASKS)
    parser.add_argument('--compare', metavar='HYP_B',
                        help='second system: paired bootstrap of its BLEU-4 against --hyp')
    parser.add_argument('--bootstrap-samples', type=int, default=1000)
    parser.add_argument('--json', action='store_true', help='print one JSON object')
    return parser.parse_args(argv)


def _paired(path_a: str, lines_a: List[str], path_b: str, lines_b: List[str]) -> None:
    if len(lines_a) != len(lines_b):
        raise SystemExit(f'error: {path_a} has {len(lines_a)} lines but {path_b} has '
                         f'{len(lines_b)}: one hypothesis per reference line is expected')


def main(argv=None) -> dict:
    args = parse_args(argv)
    hypotheses, references = read_lines(args.hyp), read_lines(args.ref)
    _paired(args.hyp, hypotheses, args.ref, references)
    try:
        report = score(hypotheses, references, args.lang, args.task)
        if args.compare:
            other = read_lines(args.compare)
            _paired(args.compare, other, args.ref, references)
            report['comparison'] = dict(paired_bootstrap(
                hypotheses, other, references,
                lambda h, r: corpus_bleu(h, r, args.lang)['bleu4'],
                num_samples=args.bootstrap_samples), metric='bleu4', system_b=args.compare)
    except ValueError as error:
        raise SystemExit(f'error: {args.hyp} / {args.ref}: {error}') from None
    report['num_sentences'] = len(references)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        _print_table(report)
    return report


def _print_table(report: dict) -> None:
    for key in SCORE_KEYS:
        if key in report:
            value = report[key]
            print(f'{key:>16}: {value:.2f}' if isinstance(value, float) else
                  f'{key:>16}: {value}')
    if 'comparison' in report:
        c = report['comparison']
        print(f'{"bleu4 b - a":>16}: {c["delta"]:+.2f}  95% CI [{c["delta_ci95"][0]:+.2f}, '
              f'{c["delta_ci95"][1]:+.2f}]  p = {c["p_value"]:.3f}  ({c["num_samples"]} '
              'bootstrap samples)')
    print(f'{"sentences":>16}: {report["num_sentences"]}')
    for name, text in report['conventions'].items():
        print(f'{name:>16}: {text}')
