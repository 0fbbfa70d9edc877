"""The model the Runner trains: visual encoder -> generative head, every task as translation.

Stage 1 pairs the encoder with Light-T; stage 2 freezes the encoder (initialised from stage 1)
and swaps in a pretrained language model head. The head owns the tokenizer, so batches carry
target strings, and the same model class serves SLT, CSLR and ISLR through task prompts.
"""
import inspect

from mmengine.logging import print_log
from mmengine.model import BaseModel

from unisign_fla.engine.checkpoint import load_checkpoint_state_dict
from unisign_fla.models.lora_names import names_by_plain_name
from unisign_fla.registry import MODELS

LANGUAGE_NAMES = {'zh': 'Chinese', 'de': 'German', 'en': 'English'}
DEFAULT_PROMPTS = {
    'slt': 'Translate sign language video to {language}: ',
    'cslr': 'Transcribe the glosses of the sign language video: ',
    'islr': 'Recognise the isolated sign: ',
}


@MODELS.register_module()
class SignTranslator(BaseModel):
    """Encoder + head.

    Args:
        encoder: config of the visual encoder (e.g. ``PoseEncoder``).
        head: config of the generative head (``LightTranslator`` or ``LanguageModelHead``);
            its ``in_channels`` is filled in from the encoder.
        encoder_checkpoint: stage-1 checkpoint whose ``encoder.*`` weights initialise the encoder.
        init_checkpoint: a checkpoint of an earlier stage whose weights initialise this model by
            name (Uni-Sign's RGB-pose stage from its pose stage, fine-tuning from pretraining).
            Weights it lacks keep their fresh initialisation and are listed in the log (the new
            RGB branch, say); a weight it has in another shape, or one this model lacks, is an
            error naming it. A checkpoint without LoRA initialises a model whose head has LoRA
            (peft's renamed weights are matched to their plain names; LoRA's own start fresh).
        freeze_encoder: stage 2 of FLa-LLM: encoder weights fixed and kept in eval mode.
        prompts: task -> prompt template (``{language}`` is replaced by the language name).
        generation: ``max_new_tokens``, ``num_beams`` for prediction.
    """

    def __init__(self, encoder: dict, head: dict, encoder_checkpoint: str | None = None,
                 freeze_encoder: bool = False, init_checkpoint: str | None = None,
                 prompts: dict[str, str] | None = None,
                 generation: dict | None = None, data_preprocessor: dict | None = None,
                 init_cfg: dict | None = None):
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.encoder = MODELS.build(encoder)
        self.head = MODELS.build(dict(head, in_channels=self.encoder.out_channels))
        parameters = inspect.signature(self.encoder.forward).parameters
        # Names of the inputs the encoder's forward takes; None: any (it has **kwargs).
        self._encoder_takes = None if any(p.kind is p.VAR_KEYWORD for p in parameters.values()) \
            else set(parameters)
        self.prompts = dict(DEFAULT_PROMPTS, **(prompts or {}))
        self.generation = {'max_new_tokens': 60, 'num_beams': 4, **(generation or {})}
        if init_checkpoint:
            self._load_by_name(init_checkpoint)
        if encoder_checkpoint:
            self.encoder.load_state_dict(load_checkpoint_state_dict(encoder_checkpoint, 'encoder.'))
        self.freeze_encoder = freeze_encoder
        if freeze_encoder:
            self.encoder.requires_grad_(False)
            self.encoder.eval()

    def _load_by_name(self, path: str) -> None:
        own = self.state_dict()
        wrapped = names_by_plain_name(own)
        state = {k if k in own else wrapped.get(k, k): v
                 for k, v in load_checkpoint_state_dict(path).items()}
        unexpected = sorted(k for k in state if k not in own)
        reshaped = sorted(f'{k} {tuple(v.shape)} -> {tuple(own[k].shape)}'
                          for k, v in state.items() if k in own and v.shape != own[k].shape)
        if unexpected or reshaped:
            raise ValueError(f'init_checkpoint {path}: {len(unexpected)} weights this model lacks '
                             f'({", ".join(unexpected[:6])}) and {len(reshaped)} of another '
                             f'shape ({", ".join(reshaped[:6])})')
        missing = sorted(k for k in own if k not in state)
        self.load_state_dict(state, strict=False)
        modules = sorted({'.'.join(k.split('.')[:2]) for k in missing})
        print_log(f'init_checkpoint {path}: loaded {len(state)} weights by name; '
                  f'{len(missing)} start fresh' + (f' (in {", ".join(modules)})' if missing
                                                   else ''), logger='current')

    def train(self, mode: bool = True):
        super().train(mode)
        if self.freeze_encoder:
            self.encoder.eval()
        return self

    def prompt_for(self, sample: dict) -> str:
        language = LANGUAGE_NAMES.get(sample.get('language'), sample.get('language'))
        return self.prompts[sample['task']].format(language=language)

    def _rgb_inputs(self, inputs: dict) -> dict:
        """The batch's RGB inputs the encoder takes: those its ``forward`` names (``PoseEncoder``:
        crops, crop_index, crop_joints), or all of them if it takes ``**kwargs``
        (``UniSignPoseEncoder``, whose RGB hook picks its own)."""
        return {k: v for k, v in inputs.items() if k not in ('keypoints', 'mask')
                and (self._encoder_takes is None or k in self._encoder_takes)}

    def forward(self, inputs: dict, data_samples: list[dict], mode: str = 'tensor'):
        visual, visual_mask = self.encoder(inputs['keypoints'], inputs['mask'],
                                           **self._rgb_inputs(inputs))
        if mode == 'tensor':
            return visual, visual_mask
        prompts = [self.prompt_for(s) for s in data_samples]
        languages = [s.get('language') for s in data_samples]
        if mode == 'loss':
            losses = self.head.loss(visual, visual_mask, [s['target'] for s in data_samples],
                                    prompts, languages)
            # Keys without 'loss' are logged by mmengine, not added to the loss.
            losses.update(getattr(self.encoder, 'log_vars', dict)())
            return losses
        if mode == 'predict':
            hypotheses = self.head.predict(visual, visual_mask, prompts, languages,
                                           **self.generation)
            return [dict(sample, prediction=hyp) for sample, hyp in zip(data_samples, hypotheses)]
        raise ValueError(f'mode must be "loss", "predict" or "tensor", got {mode!r}')
