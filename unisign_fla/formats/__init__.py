"""On-disk formats (docs/formats.md): the clip manifest (``manifest``), names taken from input
data (``names``), webdataset shards and their indices (``shards``, ``shard_index``), downloaded
pickles read without running code (``safe_pickle``), ``.pose`` files (``pose_file``) and label
files (``label_files``).

Nothing is imported here: ``python -m unisign_fla.formats.shards`` and
``python -m unisign_fla.formats.safe_pickle`` run those modules as scripts, which must not have
been imported by the package first.
"""
