package dev.trainyard.zoo.video;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rows [from, from + count) of a 'c'-ordered matrix, as a view built on the root buffer. ND4J
 * M2.1's {@code get(interval, all)} returns an empty array when the matrix is itself a view at an
 * offset (a layer's parameter or gradient view inside the network's flat vector), so the offset
 * is computed here instead.
 */
final class RowBlock {
    private RowBlock() {
    }

    static INDArray of(INDArray m, long from, long count) {
        if (m.rank() != 2 || m.ordering() != 'c' || m.stride(1) != 1 || from < 0 || count < 1 || from + count > m.size(0)) {
            throw new IllegalArgumentException("rows [" + from + ", " + (from + count) + ") of " + m.shapeInfoToString());
        }
        return Nd4j.create(root(m), new long[]{count, m.size(1)}, new long[]{m.stride(0), 1}, m.offset() + from * m.stride(0), 'c');
    }

    /** The buffer an array's offset counts from. */
    static DataBuffer root(INDArray a) {
        return a.data().originalDataBuffer() != null ? a.data().originalDataBuffer() : a.data();
    }
}
