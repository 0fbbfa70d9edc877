"""SynthSign: a procedurally generated sign language data set, the toolkit's embedded default data
(see docs/synthsign.md)."""
from unisign_fla.synthsign.generate import PRESETS, generate_dataset, plan_clips
from unisign_fla.synthsign.grammar import Grammar, Sentence
from unisign_fla.synthsign.vocabulary import MINIMAL_PAIRS, Sign, SignParameters, build_vocabulary

__all__ = ['PRESETS', 'generate_dataset', 'plan_clips', 'Grammar', 'Sentence', 'MINIMAL_PAIRS',
           'Sign', 'SignParameters', 'build_vocabulary']
