"""A one-weight model for engine tests: loss ``(w x - 3)^2``, fast and easy to reason about."""
import torch
from mmengine.model import BaseModel
from torch import nn


class ScaleModel(BaseModel):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(1))

    def forward(self, inputs, mode='loss'):
        return {'loss': ((self.weight * inputs - 3.0) ** 2).mean()}
