package dev.trainyard.zoo.video;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The runtime side of {@link FrameWise}: clip to frames, the 2D layer, frames back to clip. */
public class FrameWiseLayer extends BaseWrapperLayer {
    private long frames;
    private INDArray clipInput;

    public FrameWiseLayer(Layer underlying) {
        super(underlying);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        clipInput = input;
        underlying.setInput(input, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return activate(clipInput, training, workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        ClipShapes.requireTimeMajor(input, "FrameWise");
        clipInput = input;
        frames = input.size(1);
        INDArray out = underlying.activate(ClipShapes.toFrames(input), training, workspaceMgr);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, ClipShapes.toClip(out, frames));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> p = underlying.backpropGradient(ClipShapes.toFrames(epsilon), workspaceMgr);
        if (p.getSecond() != null) {
            p.setSecond(workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, ClipShapes.toClip(p.getSecond(), frames)));
        }
        return p;
    }

    @Override
    public INDArray input() {
        return clipInput;
    }

    @Override
    public void clear() {
        clipInput = null;
        underlying.clear();
    }
}
