"""Offline extraction: video -> keypoints + hand crops -> webdataset shards (docs/formats.md)."""
