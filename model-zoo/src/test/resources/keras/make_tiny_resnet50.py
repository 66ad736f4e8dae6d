#!/usr/bin/env python3
"""Writes tiny_resnet50.h5: a Keras 2.2.4-format ResNet50 (keras-applications layer names:
conv1, bn_conv1, res2a_branch2a, ..., fc1000) at 1/16 width (stem 4 channels, stages 4/8/16/32
wide, bottlenecks x4), 64 x 64 x 3 input, 10 classes, seeded random weights. Made with h5py alone
(no Keras here), so tests can check that `trainyard inflate` reads a Keras HDF5 ResNet50 through
DL4J's Keras import. SYNTHETIC: random weights, not a trained model.
Usage: /usr/bin/python3 make_tiny_resnet50.py [out.h5]"""
import json
import sys

import h5py
import numpy as np

rng = np.random.default_rng(7)
W = 16  # width divisor
layers, weights = [], {}


def node(*inputs):
    return [[[i, 0, 0, {}] for i in inputs]]


def add(cls, name, cfg, inputs, w=None):
    cfg = dict(cfg, name=name, trainable=True)
    layers.append({"class_name": cls, "config": cfg, "name": name, "inbound_nodes": node(*inputs) if inputs else []})
    if w:
        weights[name] = w
    return name


def conv(name, x, cin, cout, k, s, pad="valid"):
    init = {"class_name": "VarianceScaling", "config": {"scale": 2.0, "mode": "fan_in", "distribution": "normal", "seed": None}}
    cfg = {"filters": cout, "kernel_size": [k, k], "strides": [s, s], "padding": pad, "data_format": "channels_last",
           "dilation_rate": [1, 1], "activation": "linear", "use_bias": True, "kernel_initializer": init,
           "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None, "bias_regularizer": None,
           "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
    kernel = rng.normal(0, np.sqrt(2.0 / (k * k * cin)), (k, k, cin, cout)).astype("float32")
    bias = rng.normal(0, 0.05, cout).astype("float32")
    return add("Conv2D", name, cfg, [x], [("kernel:0", kernel), ("bias:0", bias)])


def bn(name, x, c):
    z = {"class_name": "Zeros", "config": {}}
    o = {"class_name": "Ones", "config": {}}
    cfg = {"axis": 3, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True, "beta_initializer": z,
           "gamma_initializer": o, "moving_mean_initializer": z, "moving_variance_initializer": o, "beta_regularizer": None,
           "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None}
    w = [("gamma:0", rng.uniform(0.5, 1.5, c)), ("beta:0", rng.normal(0, 0.1, c)),
         ("moving_mean:0", rng.normal(0, 0.2, c)), ("moving_variance:0", rng.uniform(0.5, 2.0, c))]
    return add("BatchNormalization", name, cfg, [x], [(n, a.astype("float32")) for n, a in w])


counter = {"activation": 0, "add": 0}


def relu(x):
    counter["activation"] += 1
    return add("Activation", "activation_%d" % counter["activation"], {"activation": "relu"}, [x])


def block(x, cin, filters, stage, b, stride, project):
    f1, f2, f3 = filters
    base = "res%d%s_branch" % (stage, b)
    bnb = "bn%d%s_branch" % (stage, b)
    y = relu(bn(bnb + "2a", conv(base + "2a", x, cin, f1, 1, stride), f1))
    y = relu(bn(bnb + "2b", conv(base + "2b", y, f1, f2, 3, 1, "same"), f2))
    y = bn(bnb + "2c", conv(base + "2c", y, f2, f3, 1, 1), f3)
    short = bn(bnb + "1", conv(base + "1", x, cin, f3, 1, stride), f3) if project else x
    counter["add"] += 1
    return relu(add("Add", "add_%d" % counter["add"], {}, [y, short]))


x = add("InputLayer", "input_1", {"batch_input_shape": [None, 64, 64, 3], "dtype": "float32", "sparse": False}, [])
x = add("ZeroPadding2D", "conv1_pad", {"padding": [[3, 3], [3, 3]], "data_format": "channels_last"}, [x])
x = relu(bn("bn_conv1", conv("conv1", x, 3, 64 // W, 7, 2), 64 // W))
x = add("ZeroPadding2D", "pool1_pad", {"padding": [[1, 1], [1, 1]], "data_format": "channels_last"}, [x])
x = add("MaxPooling2D", "max_pooling2d_1", {"pool_size": [3, 3], "padding": "valid", "strides": [2, 2],
                                            "data_format": "channels_last"}, [x])
cin = 64 // W
for stage, (width, n) in enumerate(zip([64, 128, 256, 512], [3, 4, 6, 3]), start=2):
    w = width // W
    for i in range(n):
        x = block(x, cin, (w, w, 4 * w), stage, "abcdef"[i], 1 if i or stage == 2 else 2, i == 0)
        cin = 4 * w
x = add("GlobalAveragePooling2D", "avg_pool", {"data_format": "channels_last"}, [x])
dense = {"units": 10, "activation": "softmax", "use_bias": True,
         "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
         "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None, "bias_regularizer": None,
         "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
x = add("Dense", "fc1000", dense, [x], [("kernel:0", rng.normal(0, 0.1, (cin, 10)).astype("float32")),
                                        ("bias:0", rng.normal(0, 0.05, 10).astype("float32"))])

config = {"class_name": "Model", "config": {"name": "resnet50", "layers": layers, "input_layers": [["input_1", 0, 0]],
                                            "output_layers": [["fc1000", 0, 0]]}}
out = sys.argv[1] if len(sys.argv) > 1 else "tiny_resnet50.h5"
with h5py.File(out, "w") as f:
    f.attrs["keras_version"] = b"2.2.4"
    f.attrs["backend"] = b"tensorflow"
    f.attrs["model_config"] = json.dumps(config).encode()
    g = f.create_group("model_weights")
    g.attrs["keras_version"] = b"2.2.4"
    g.attrs["backend"] = b"tensorflow"
    g.attrs["layer_names"] = [l["name"].encode() for l in layers]
    for l in layers:
        lg = g.create_group(l["name"])
        ws = weights.get(l["name"], [])
        lg.attrs["weight_names"] = [("%s/%s" % (l["name"], n)).encode() for n, _ in ws]
        for n, a in ws:
            lg.create_dataset("%s/%s" % (l["name"], n), data=a)
print(out, sum(a.size for ws in weights.values() for _, a in ws), "parameters")
