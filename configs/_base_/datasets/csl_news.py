# CSL-News (Uni-Sign's pretraining corpus, Chinese): shards from tools/extract_pose.py over the
# manifests of data_prep (CSL-News has no official split: see data_prep's documented hold-out).
_base_ = ['./shard_splits.py']
data_root = 'data/csl_news/shards'
train_dataloader = dict(dataset=dict(data_root=data_root, ann_file='csl_news-train.index.json'))
val_dataloader = dict(dataset=dict(data_root=data_root, ann_file='csl_news-dev.index.json'))
test_dataloader = dict(dataset=dict(data_root=data_root, ann_file='csl_news-test.index.json'))
