package dev.trainyard.zoo.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * An array a training forward pass made for its backward pass, kept in a DL4J workspace that stays
 * open from forward through backward (INPUT for BesNet's layers, as DL4J's own batch norm keeps its
 * x-hat; ACTIVATIONS for the ConvNet's pre-activations). The
 * backward pass takes it only if it was made from the same input and its workspace is still open;
 * otherwise (a forward pass without a backward pass, say) it computes the array again. Taken once.
 */
public final class KeptForBackward<T> {
    private T value;
    private INDArray array;
    private INDArray source;

    public void keep(T value, INDArray array, INDArray source) {
        this.value = value;
        this.array = array;
        this.source = source;
    }

    /** The kept value if made from {@code source} and still valid, else null; forgets it either way. */
    public T take(INDArray source) {
        T v = value;
        boolean valid = v != null && sameView(this.source, source) && !array.wasClosed()
                && (!array.isAttached() || array.isInScope());
        clear();
        return valid ? v : null;
    }

    public void clear() {
        value = null;
        array = null;
        source = null;
    }

    /**
     * Same memory seen the same way. Layers see fresh reshape views of one input, and each view has
     * its own buffer object over the same memory, so the address is compared, not the buffer.
     */
    private static boolean sameView(INDArray a, INDArray b) {
        return a == b || a != null && b != null && a.dataType() == b.dataType()
                && a.data().address() == b.data().address() && a.offset() == b.offset()
                && Arrays.equals(a.shape(), b.shape()) && Arrays.equals(a.stride(), b.stride());
    }
}
