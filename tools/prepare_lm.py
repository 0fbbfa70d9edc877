"""Prepare a small pretrained LM from text, for when no pretrained LM can be downloaded.

Example (quick start, about a minute on 2 CPU cores)::

    python tools/prepare_lm.py --text data/train.jsonl --out work_dirs/lm_llama --arch llama

FILE is a text file with one sentence per line or a manifest ``.jsonl`` (its ``text`` field). The
output directory holds a tokenizer, a Hugging Face model and ``pretrain_stats.json``; point a
``LanguageModelHead``'s ``pretrained_dir`` (and a ``LightTranslator``'s ``tokenizer_dir``) at it.
"""
import argparse
import json

import torch

from unisign_fla.lm import ARCHITECTURES, prepare_lm, read_text_lines


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--text', nargs='+', required=True, metavar='FILE',
                        help='text files (one sentence per line) or manifest .jsonl files')
    parser.add_argument('--out', required=True, help='output model directory')
    parser.add_argument('--arch', choices=ARCHITECTURES, default='llama')
    parser.add_argument('--hidden', type=int, default=128)
    parser.add_argument('--layers', type=int, default=4)
    parser.add_argument('--heads', type=int, default=4)
    parser.add_argument('--ffn', type=int, default=None, help='feed-forward width (4 x hidden)')
    parser.add_argument('--vocab-size', type=int, default=2000)
    parser.add_argument('--language', default=None, help='BCP-47 code (guessed from the text)')
    parser.add_argument('--max-steps', type=int, default=1500)
    parser.add_argument('--max-seconds', type=float, default=45.0,
                        help='training time budget; 0 for none')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--lr', type=float, default=2e-3)
    parser.add_argument('--threads', type=int, default=None, help='torch threads (default: torch)')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    texts = read_text_lines(args.text)
    if not texts:
        raise SystemExit(f'{" ".join(args.text)}: no sentences found')
    stats = prepare_lm(texts, args.out, arch=args.arch, hidden=args.hidden, layers=args.layers,
                       heads=args.heads, ffn=args.ffn, vocab_size=args.vocab_size,
                       language=args.language, max_steps=args.max_steps,
                       max_seconds=args.max_seconds or None, batch_size=args.batch_size,
                       lr=args.lr, seed=args.seed)
    print(json.dumps(stats, indent=2))


if __name__ == '__main__':
    main()
