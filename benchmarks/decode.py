"""Light-T generation speed: clips per second with the key/value cache against the decoding it
replaced (the whole decoder re-run on the whole prefix every step), in one run.

    python benchmarks/decode.py                            # reference sizes, beam 4
    python benchmarks/decode.py --clips 4 --max-new-tokens 20   # a quick look

Light-T at FLa-LLM's reference sizes (width 512, 8 heads, FFN 2048, 3 + 3 layers) with random
weights, on random visual tokens (``--tokens`` per clip: 256 frames at stride 4 = 64); a word-level
tokenizer of ``--vocab`` entries trained here. Random weights rarely emit EOS, so every clip
generates ``--max-new-tokens`` tokens in both paths: the comparison is at equal work. Both paths
must give the same texts (``same_texts``). Ends with one JSON line.
"""
import argparse
import json
import tempfile
import time

import torch

from unisign_fla.lm import train_tokenizer
from unisign_fla.models.heads import LightTranslator
from unisign_fla.models.heads.beam_search import beam_search
from unisign_fla.models.heads.cached_decoding import CachedDecoder, full_prefix_step
from unisign_fla.models.heads.text_sequences import decode_texts


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--clips', type=int, default=8)
    parser.add_argument('--tokens', type=int, default=64, help='visual tokens per clip')
    parser.add_argument('--num-beams', type=int, default=4)
    parser.add_argument('--max-new-tokens', type=int, default=60)
    parser.add_argument('--vocab', type=int, default=8000)
    parser.add_argument('--threads', type=int, default=None)
    return parser.parse_args(argv)


def generate(head, memory, memory_mask, args, cached: bool) -> list:
    beams = args.num_beams
    memory = memory.repeat_interleave(beams, dim=0)
    memory_mask = memory_mask.repeat_interleave(beams, dim=0)
    step = (CachedDecoder(head, memory, memory_mask) if cached
            else full_prefix_step(head, memory, memory_mask))
    ids = beam_search(step, start_ids=head._decoder_starts(None, args.clips), num_beams=beams,
                      eos_id=head.ids['eos'], max_new_tokens=args.max_new_tokens,
                      reorder=step.reorder if cached else None)
    return decode_texts(head.tokenizer, ids)


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    letters = list('abcdefghijklmnopqrstuvwxyz')
    generator = torch.Generator().manual_seed(0)
    words = [''.join(letters[i] for i in torch.randint(0, 26, (7,), generator=generator))
             for _ in range(args.vocab)]   # distinct enough for BPE to fill the vocabulary
    with tempfile.TemporaryDirectory() as folder:
        train_tokenizer([' '.join(words[i:i + 20]) for i in range(0, len(words), 20)], folder,
                        vocab_size=args.vocab + 100)
        head = LightTranslator(512, folder, d_model=512, num_heads=8, ffn_channels=2048,
                               num_encoder_layers=3, num_decoder_layers=3).eval()
    visual = torch.randn(args.clips, args.tokens, 512)
    with torch.no_grad():
        memory, memory_mask = head.encode(visual, torch.ones(args.clips, args.tokens,
                                                             dtype=torch.bool))
        results, texts = {}, {}
        for name, cached in (('full_prefix', False), ('cached', True)):
            start = time.perf_counter()
            texts[name] = generate(head, memory, memory_mask, args, cached)
            seconds = time.perf_counter() - start
            results[f'{name}_clips_per_s'] = round(args.clips / seconds, 3)
            print(f'{name:>12}: {seconds:7.2f} s for {args.clips} clips', flush=True)
    results.update(speedup=round(results['cached_clips_per_s'] / results['full_prefix_clips_per_s'],
                                 2),
                   same_texts=texts['cached'] == texts['full_prefix'], clips=args.clips,
                   num_beams=args.num_beams, max_new_tokens=args.max_new_tokens,
                   vocab=len(head.tokenizer), threads=torch.get_num_threads())
    print(json.dumps(results))
    return results


if __name__ == '__main__':
    main()
