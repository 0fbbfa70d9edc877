"""Score hypotheses against references with the published conventions: plain text files, one
sentence per line, or the predictions.jsonl that tools/test.py writes.

    python -m unisign_fla.evaluation --hyp hyp.txt --ref ref.txt --lang zh [--task slt] [--json]
    python -m unisign_fla.evaluation --hyp a.txt --compare b.txt --ref ref.txt --lang en
    python -m unisign_fla.evaluation --hyp work_dirs/run/test/predictions.jsonl --lang en

Lines pair up by position. An empty hypothesis line is scored as an empty output (it counts
against the system); an empty reference line, different line counts or bytes that are not UTF-8
are errors that name the file and line. ``--compare`` adds a paired bootstrap test of BLEU-4
(system b - system a) with its 95% confidence interval.

JSON lines: a ``--hyp`` (or ``--compare``) file whose name ends in ``.jsonl``, or whose first
non-empty line is a JSON object with a ``hypothesis`` key, is read one record per line: its
``hypothesis`` fields are scored and, without ``--ref``, its ``reference`` fields are the
references (a ``--ref`` file is read the same way for ``reference``). ``--lang`` and ``--task``
default to the records' ``language`` and ``task`` fields when every record agrees (a value given
that contradicts them is an error); ``tools/test.py`` writes neither for a single evaluation set,
so there ``--lang`` is needed and the task is ``slt`` unless given. A record without a needed key,
a file that mixes evaluation sets (``dataset``/``task``) and a plain text file whose lines are all
JSON objects are errors that name the file and line.
"""
import argparse
import json
import sys
from dataclasses import dataclass, field

from unisign_fla.evaluation.bleu import corpus_bleu
from unisign_fla.evaluation.bootstrap import paired_bootstrap
from unisign_fla.evaluation.scoring import LANGUAGES, TASKS, score

SCORE_KEYS = ('bleu1', 'bleu2', 'bleu3', 'bleu4', 'rouge_l', 'rouge_l_lcs_f1', 'wer',
              'substitutions', 'deletions', 'insertions', 'reference_words', 'top1_instance',
              'top1_class', 'top5_instance', 'top5_class')
JSON_LINES_SUFFIX = '.jsonl'


def read_lines(path: str) -> list[str]:
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


@dataclass
class Texts:
    """One input file's sentences; ``records`` (with their file line numbers) for JSON lines."""
    path: str
    texts: list[str | list[str]]
    records: list[dict] | None = None
    line_numbers: list[int] = field(default_factory=list)

    @property
    def unit(self) -> str:
        return 'lines' if self.records is None else 'records'


def _json_object(line: str) -> dict | None:
    text = line.strip().lstrip('\ufeff')
    if not (text.startswith('{') and text.endswith('}')):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _json_records(path: str, lines: list[str]):
    numbers, records = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line.lstrip('\ufeff') if number == 1 else line)
        except ValueError as error:
            raise SystemExit(f'error: {path}: line {number} is not JSON ({error.msg}): a '
                             'JSON-lines file holds one JSON object per line') from None
        if not isinstance(value, dict):
            raise SystemExit(f'error: {path}: line {number} is not a JSON object')
        numbers.append(number)
        records.append(value)
    return numbers, records


def _checked(path: str, number: int, record: dict, key: str):
    if key not in record:
        raise SystemExit(f"error: {path}: line {number} has no '{key}' key (keys: "
                         f"{', '.join(record) or 'none'})")
    value = record[key]
    ranked = (key == 'hypothesis' and isinstance(value, list)
              and all(isinstance(v, str) for v in value))
    if not (isinstance(value, str) or ranked):
        raise SystemExit(f"error: {path}: line {number}: '{key}' is "
                         f'{type(value).__name__}, expected text')
    if key == 'reference' and not value.strip():
        raise SystemExit(f'error: {path}: line {number}: empty reference: every reference needs '
                         'text')
    return value


def read_texts(path: str, key: str) -> Texts:
    """``path`` as plain text (one sentence per line) or JSON lines (its ``key`` fields)."""
    lines = read_lines(path)
    nonempty = [line for line in lines if line.strip()]
    first = _json_object(nonempty[0]) if nonempty else None
    if path.endswith(JSON_LINES_SUFFIX) or (first is not None and key in first):
        numbers, records = _json_records(path, lines)
        texts = [_checked(path, n, r, key) for n, r in zip(numbers, records)]
        return Texts(path, texts, records, numbers)
    if nonempty and all(_json_object(line) is not None for line in nonempty):
        number = lines.index(nonempty[0]) + 1
        raise SystemExit(
            f"error: {path}: every line is a JSON object, not a sentence, and line {number} has "
            f"no '{key}' key (keys: {', '.join(first) or 'none'}): pass tools/test.py's "
            f"predictions.jsonl, or a text file with one sentence per line")
    return Texts(path, lines)


def references_of(hyp: Texts) -> Texts:
    """The references a JSON-lines hypothesis file carries in its ``reference`` fields."""
    if hyp.records is None:
        raise SystemExit(f'error: --ref is needed: {hyp.path} is plain text (references come '
                         'from the file itself only for a JSON-lines predictions file)')
    texts = [_checked(hyp.path, n, r, 'reference') for n, r in zip(hyp.line_numbers, hyp.records)]
    return Texts(hyp.path, texts, hyp.records, hyp.line_numbers)


def _recorded(hyp: Texts, key: str, given: str | None, option: str, choices) -> str | None:
    """``given``, or the one value every record holds under ``key``; None if there is none."""
    if hyp.records is None:
        return given
    values = sorted({str(r.get(key)) for r in hyp.records})
    if len(values) == 1 and values[0] != 'None':
        value = values[0]
        if value not in choices:
            raise SystemExit(f"error: {hyp.path}: '{key}' is {value!r}, expected one of "
                             f"{', '.join(choices)}")
        if given is not None and given != value:
            raise SystemExit(f"error: {option} {given} contradicts {hyp.path}, whose records all "
                             f"have '{key}': {value!r}")
        return value
    if given is None and values != ['None']:
        raise SystemExit(f"error: {hyp.path}: the records' '{key}' fields disagree "
                         f"({', '.join(values)}): pass {option}")
    return given


def _one_set(hyp: Texts) -> None:
    if hyp.records is None:
        return
    sets = sorted({f"{r.get('dataset')}/{r.get('task')}" for r in hyp.records})
    if len(sets) > 1:
        raise SystemExit(f"error: {hyp.path} mixes {len(sets)} evaluation sets "
                         f"({', '.join(sets[:5])}{', ...' if len(sets) > 5 else ''}): they differ "
                         'in language and metric, so score one set at a time (its lines in a '
                         'file of their own); tools/test.py wrote the per-set scores to '
                         'metrics.json beside it')


def _paired(a: Texts, b: Texts) -> None:
    if len(a.texts) != len(b.texts):
        raise SystemExit(f'error: {a.path} has {len(a.texts)} {a.unit} but {b.path} has '
                         f'{len(b.texts)} {b.unit}: one hypothesis per reference line is expected')
    if a.records is None or b.records is None or a.records is b.records:
        return
    for number_a, number_b, record_a, record_b in zip(a.line_numbers, b.line_numbers,
                                                      a.records, b.records):
        if 'id' in record_a and 'id' in record_b and record_a['id'] != record_b['id']:
            raise SystemExit(f"error: {a.path} line {number_a} has id {record_a['id']!r} but "
                             f"{b.path} line {number_b} has id {record_b['id']!r}: the records "
                             'must pair up in the same order')


def _note_other_references(hyp: Texts, ref: Texts) -> None:
    """A --ref next to a predictions file with references: say where they differ (lines pair up
    by position; tools/test.py sorts its records by id)."""
    if hyp.records is None or ref.records is not None:
        return
    own = [r.get('reference') for r in hyp.records]
    differ = [i for i, (a, b) in enumerate(zip(own, ref.texts)) if a is not None and a != b]
    if differ:
        print(f"note: {len(differ)} of {len(own)} lines of {ref.path} differ from the "
              f"'reference' fields of {hyp.path} (first: line {differ[0] + 1}); lines pair up by "
              'position and tools/test.py sorts its records by id', file=sys.stderr)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m unisign_fla.evaluation', description=__doc__.split('\n\n')[0],
        epilog='A --hyp or --compare file ending in .jsonl (or whose first line is a JSON object '
               'with a "hypothesis" key), such as the predictions.jsonl tools/test.py writes, is '
               'read as JSON lines: its "hypothesis" fields are scored, its "reference" fields '
               'are the references unless --ref is given, and its "language"/"task" fields, when '
               'every record agrees, are the defaults of --lang/--task. Example: python -m '
               'unisign_fla.evaluation --hyp work_dirs/run/test/predictions.jsonl --lang en')
    parser.add_argument('--hyp', required=True,
                        help='hypotheses: one per line, or a JSON-lines predictions file')
    parser.add_argument('--ref', help='references, one per line (or JSON lines with '
                        '"reference"); default: the "reference" fields of a JSON-lines --hyp')
    parser.add_argument('--lang', choices=LANGUAGES,
                        help='required unless every JSON-lines record has the same "language"')
    parser.add_argument('--task', choices=TASKS,
                        help='default: the records\' common "task", else slt')
    parser.add_argument('--compare', metavar='HYP_B',
                        help='second system: paired bootstrap of its BLEU-4 against --hyp')
    parser.add_argument('--bootstrap-samples', type=int, default=1000)
    parser.add_argument('--json', action='store_true', help='print one JSON object')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    hyp = read_texts(args.hyp, 'hypothesis')
    _one_set(hyp)
    ref = read_texts(args.ref, 'reference') if args.ref else references_of(hyp)
    _paired(hyp, ref)
    _note_other_references(hyp, ref)
    language = _recorded(hyp, 'language', args.lang, '--lang', LANGUAGES)
    if language is None:
        raise SystemExit(f'error: --lang is needed: {hyp.path} does not say its language '
                         f"(choose from {', '.join(LANGUAGES)})")
    task = _recorded(hyp, 'task', args.task, '--task', TASKS) or 'slt'
    hypotheses, references = hyp.texts, ref.texts
    try:
        report = score(hypotheses, references, language, task)
        if args.compare:
            other = read_texts(args.compare, 'hypothesis')
            _paired(hyp, other)
            _paired(other, ref)
            report['comparison'] = dict(paired_bootstrap(
                hypotheses, other.texts, references,
                lambda h, r: corpus_bleu(h, r, language)['bleu4'],
                num_samples=args.bootstrap_samples), metric='bleu4', system_b=args.compare)
    except ValueError as error:
        raise SystemExit(f'error: {hyp.path} / {ref.path}: {error}') from None
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
