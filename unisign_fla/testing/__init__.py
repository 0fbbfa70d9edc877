"""Builders for tests and benchmarks only (as mmpose keeps its ``testing`` package): models with
the real architectures' shapes and costs but random weights, exported to ONNX here so that
nothing is downloaded."""
