"""On-disk formats (docs/formats.md): the clip manifest (``manifest``), names taken from input
data (``names``), webdataset shards and their indices (``shards``, ``shard_index``), downloaded
pickles and checkpoints read without running code (``safe_pickle``, ``torch_checkpoint``,
``check_file``), ``.pose`` files (``pose_file``) and label files (``label_files``).

Nothing is imported here: ``python -m unisign_fla.formats.shards`` and
``python -m unisign_fla.formats.check_file`` run those modules as scripts, which must not have
been imported by the package first.
"""
